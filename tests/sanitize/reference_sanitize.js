// Runs strings through the reference sanitiser: sanitize-html with the options of @novu/framework 2.9.0
// (copied from its dist bundle; test_differential.py checks the bundle still contains them), plus the
// same options adjusted to deviations D9 and D14. Usage: node reference_sanitize.js MODULES_DIR < inputs.json
// Input: {"html": [strings], "entities": [strings]}. Output: {"html": [[reference, d9], ...],
// "entities": [[text-mode decoding, attribute-mode decoding], ...]}.
'use strict';
const path = require('node:path');
const modules = process.argv[2];
const sanitizeHtml = require(path.join(modules, 'sanitize-html'));
const decode = require(path.join(modules, 'entities', 'dist', 'commonjs', 'decode.js'));

// parse-srcset reports bad descriptors with console.log; keep stdout for the answer.
console.log = (...args) => process.stderr.write(`${args.join(' ')}\n`);

const imgAttributes = ['src', 'alt', 'width', 'height', 'loading', 'srcset', 'sizes', 'crossorigin', 'usemap',
  'ismap', 'class', 'id', 'style', 'title', 'dir', 'lang'];
const reference = {
  allowedTags: sanitizeHtml.defaults.allowedTags.concat(['style', 'img', 'html', 'head', 'body', 'link', 'meta', 'title']),
  allowedAttributes: false,
  transformTags: {
    img: (tagName, attribs) => {
      const kept = {};
      for (const [name, value] of Object.entries(attribs)) {
        if (imgAttributes.includes(name.toLowerCase())) kept[name] = value;
      }
      return { tagName, attribs: kept };
    },
  },
  allowVulnerableTags: true,
  parseStyleAttributes: false,
  parser: { lowerCaseAttributeNames: true },
};
// D14: the content of a meta refresh whose target URL (HTML's declarative refresh syntax) has a scheme
// sanitize-html does not allow is removed.
const refreshTarget = (content) => {
  let url = content.replace(/^[\t\n\f\r ]*[0-9.]*[\t\n\f\r ]*[;,]?[\t\n\f\r ]*(?:url[\t\n\f\r ]*=[\t\n\f\r ]*)?/i, '');
  if (url[0] === '"' || url[0] === "'") {
    const end = url.indexOf(url[0], 1);
    url = end < 0 ? url.slice(1) : url.slice(1, end);
  }
  return url;
};
const unsafeRefresh = (attribs) => {
  if ((attribs['http-equiv'] || '').trim().toLowerCase() !== 'refresh' || !('content' in attribs)) return false;
  const scheme = refreshTarget(attribs.content).replace(/[\x00-\x20]+/g, '').match(/^([a-zA-Z][a-zA-Z0-9.\-+]*):/);
  return scheme !== null && !sanitizeHtml.defaults.allowedSchemes.includes(scheme[1].toLowerCase());
};
// D9: on* attributes removed from every tag; iframe, object and embed dropped with their content (and D14).
const d9 = {
  ...reference,
  nonTextTags: ['script', 'style', 'textarea', 'option', 'xmp', 'iframe', 'object', 'embed'],
  transformTags: {
    ...reference.transformTags,
    '*': (tagName, attribs) => {
      const kept = {};
      const refresh = tagName === 'meta' && unsafeRefresh(attribs);
      for (const [name, value] of Object.entries(attribs)) {
        if (!name.startsWith('on') && !(refresh && name === 'content')) kept[name] = value;
      }
      return { tagName, attribs: kept };
    },
  },
};
// The reference's wrapper: empty strings pass through, a leading DOCTYPE is kept.
const wrap = (options) => (text) => {
  if (!text) return text;
  const doctype = text.match(/^<!DOCTYPE .*?>/);
  const clean = sanitizeHtml(text, options);
  return doctype ? doctype[0] + clean : clean;
};
const sanitizeReference = wrap(reference);
const sanitizeD9 = wrap(d9);

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  const answer = {
    html: (request.html || []).map((text) => [sanitizeReference(text), sanitizeD9(text)]),
    // A closing quote ends an attribute value, so the attribute decoding sees one after the text.
    entities: (request.entities || []).map((text) => [
      decode.decodeHTML(text), decode.decodeHTMLAttribute(`${text}"`).slice(0, -1)]),
    defaults: sanitizeHtml.defaults,
  };
  process.stdout.write(JSON.stringify(answer));
});
