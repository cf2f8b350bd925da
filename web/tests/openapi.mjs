// docs/openapi.yaml as a checker for openapi.test.mjs: finds the operation a request reached and
// lists everything about a response that the document does not allow (an undocumented status or
// content type, a body outside its schema, a missing or malformed documented header). Schemas are
// compiled with Ajv's JSON Schema 2020-12 dialect, which OpenAPI 3.1 uses, and ajv-formats.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { repoDir } from './harness.mjs';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const SCHEMAS_ID = 'urn:anquanli:openapi:schemas';

export const documentPath = join(repoDir, 'docs/openapi.yaml');

// Points `#/components/schemas/X` at the one schema resource Ajv is given, `$defs/X` of SCHEMAS_ID.
function rewriteRefs(value) {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')
      ? `${SCHEMAS_ID}#/$defs/${inner.slice('#/components/schemas/'.length)}`
      : rewriteRefs(inner);
  }
  return out;
}

function newAjv(options, schemas) {
  // strictTypes off: the document narrows shared schemas with bare `properties` beside a `$ref`.
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false, ...options });
  addFormats(ajv);
  ajv.addSchema({ $id: SCHEMAS_ID, $defs: schemas });
  return ajv;
}

export class ApiDocument {
  constructor(text = readFileSync(documentPath, 'utf8')) {
    this.doc = YAML.parse(text);
    const schemas = rewriteRefs(this.doc.components.schemas);
    this.bodies = newAjv({}, schemas);
    this.headers = newAjv({ coerceTypes: true }, schemas); // header values arrive as text
    this.compiled = new Map();
  }

  // Every operation: { method: 'GET', path: '/api/v1/me', operation }.
  operations() {
    const found = [];
    for (const [path, item] of Object.entries(this.doc.paths)) {
      for (const method of HTTP_METHODS) {
        if (item[method]) found.push({ method: method.toUpperCase(), path, operation: item[method] });
      }
    }
    return found;
  }

  // The documented methods of a path template.
  methodsOf(path) {
    return HTTP_METHODS.filter((m) => this.doc.paths[path]?.[m]).map((m) => m.toUpperCase());
  }

  // A local reference (`#/components/responses/X`, …) followed to what it names.
  resolve(object) {
    let current = object;
    while (current && typeof current.$ref === 'string' && current.$ref.startsWith('#/')) {
      current = current.$ref.slice(2).split('/').reduce((node, key) => node?.[key], this.doc);
      if (current === undefined) throw new Error(`dangling reference ${object.$ref}`);
    }
    return current;
  }

  // The path template a concrete path matches ('/api/v1/attempts/7' -> '/api/v1/attempts/{id}').
  templateOf(path) {
    return Object.keys(this.doc.paths).find((template) => {
      const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      return new RegExp(`^${pattern}$`).test(path);
    });
  }

  validator(ajv, schema) {
    const key = `${ajv === this.headers ? 'h' : 'b'}:${JSON.stringify(schema)}`;
    if (!this.compiled.has(key)) this.compiled.set(key, ajv.compile(rewriteRefs(schema)));
    return this.compiled.get(key);
  }

  // What is wrong with `reply` ({ status, headers, body: Buffer }) as a `method` on `path`.
  problems(method, path, reply) {
    const template = this.templateOf(path);
    const operation = template && this.doc.paths[template][method.toLowerCase()];
    if (!operation) return [`${method} ${path} is not an operation of the document`];
    const response = operation.responses[String(reply.status)];
    if (!response) {
      return [`${method} ${template}: status ${reply.status} is not documented (body ${reply.body.toString('utf8').slice(0, 300)})`];
    }
    return this.responseProblems(`${method} ${template} ${reply.status}`, this.resolve(response), reply);
  }

  // What is wrong with `reply` as the shared response `components/responses/<name>`.
  componentProblems(name, reply) {
    const response = this.doc.components.responses[name];
    if (!response) return [`no response ${name} in components`];
    return this.responseProblems(`components/responses/${name}`, response, reply);
  }

  responseProblems(where, response, reply) {
    const problems = [];
    const type = reply.headers['content-type'];
    const media = response.content?.[type];
    if (!media) {
      problems.push(`${where}: content type ${type} is not one of ${Object.keys(response.content ?? {}).join(', ')}`);
    } else if (media.schema && type.includes('json')) {
      let body;
      try { body = JSON.parse(reply.body.toString('utf8')); } catch (error) { problems.push(`${where}: body is not JSON: ${error.message}`); }
      if (body !== undefined) problems.push(...this.schemaProblems(where, this.bodies, media.schema, body));
    } else if (media.schema?.type === 'string') {
      problems.push(...this.schemaProblems(where, this.bodies, media.schema, reply.body.toString('utf8')));
    }
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      const header = this.resolve(declared);
      const value = reply.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`${where}: required header ${name} is missing`);
      } else if (header.schema) {
        problems.push(...this.schemaProblems(`${where} header ${name}`, this.headers, header.schema, value));
      }
    }
    return problems;
  }

  schemaProblems(where, ajv, schema, value) {
    const validate = this.validator(ajv, schema);
    if (validate(value)) return [];
    const shown = JSON.stringify(value);
    return [`${where}: ${ajv.errorsText(validate.errors, { separator: '; ' })} in ${shown.length > 600 ? `${shown.slice(0, 600)}…` : shown}`];
  }
}
