// Runs the reference's validator (ajv 8 + ajv-formats, the options @novu/framework 2.9.0 uses) on a list of
// cases read as JSON from stdin: [{"schema": ..., "data": ...}, ...]. Writes one result per case:
// {"compileError": message} or {"ok": bool, "data": <validated clone>, "errors": [{path, message}]}.
// Usage: node ajv_oracle.cjs <node_modules directory>
const path = require("path");
const modules = path.resolve(process.argv[2]);
const Ajv = require(path.join(modules, "ajv"));
const addFormats = require(path.join(modules, "ajv-formats"));

const ajv = new Ajv({ useDefaults: true, removeAdditional: "failing" });
addFormats(ajv);
ajv.logger = { log() {}, warn() {}, error() {} };

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ schema, data }) => {
    let validate;
    try {
      validate = ajv.compile(schema);
    } catch (e) {
      return { compileError: e.message };
    }
    const clone = structuredClone(data);
    const ok = validate(clone);
    const errors = ok ? [] : validate.errors.map((e) => ({ path: e.instancePath, message: e.message }));
    return { ok, data: clone, errors };
  });
  process.stdout.write(JSON.stringify(results));
});
