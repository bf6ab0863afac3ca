// require() resolving from the installed TypeScript reference (<reference dir>/node_modules), for the
// reference side of the benchmarks.
import { createRequire } from 'node:module';
import path from 'node:path';

export const referenceRequire = (referenceDir) => createRequire(path.join(path.resolve(referenceDir), 'package.json'));
