// Answers what Node says about JSON-like values, one JSON line in, one JSON line out.
//
// In:  {"value": v} or {"pair": [a, b]}. Numbers JSON cannot carry (NaN, ±Infinity, integers past 2**53)
//      arrive as {"__js_oracle_number__": "text"} and become Number(text), as JSON.parse would make them.
// Out: for a value: typeof, truthy (!!v), finite, integer, string (String(v)), number (String(Number(v))),
//      json (JSON.stringify(v)), json2 (with an indent of 2), keys (Object.keys of an object), clone
//      (JSON.stringify(structuredClone(v))); for a pair: strict (===), lt, gt, le, ge and deep
//      (fast-deep-equal, when the reference's node_modules has it; null otherwise).
'use strict';

const path = require('path');
const readline = require('readline');

const TAG = '__js_oracle_number__';
const referenceRoot = process.env.NOVU_REFERENCE_DIR || path.join(__dirname, '..', '..', '.reference');
let deepEqual = null;
try {
  deepEqual = require(path.join(referenceRoot, 'node_modules', 'fast-deep-equal'));
} catch (error) {
  deepEqual = null;
}

function revive(key, value) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && TAG in value) {
    return Number(value[TAG]);
  }
  return value;
}

function describe(v) {
  const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
  return {
    typeof: typeof v,
    truthy: !!v,
    finite: typeof v === 'number' && isFinite(v),
    integer: Number.isInteger(v),
    string: String(v),
    number: String(Number(v)),
    json: JSON.stringify(v),
    json2: JSON.stringify(v, null, 2),
    keys: isObject ? Object.keys(v) : null,
    clone: JSON.stringify(structuredClone(v)),
  };
}

function comparePair(a, b) {
  return {
    strict: a === b,
    lt: a < b,
    gt: a > b,
    le: a <= b,
    ge: a >= b,
    deep: deepEqual === null ? null : deepEqual(a, b),
  };
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  const request = JSON.parse(line, revive);
  const answer = 'pair' in request ? comparePair(request.pair[0], request.pair[1]) : describe(request.value);
  process.stdout.write(JSON.stringify(answer) + '\n');
});
