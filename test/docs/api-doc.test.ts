// docs/api.md is written by hand; this keeps it from drifting from the contract. The OpenAPI
// document the server publishes (built from contract/api/) is read from a real server, and every
// endpoint, every field of a request body or a success answer, every security event type and every
// error code in it must be named on the page, in the right section. The error catalogue's
// statuses and sentences must be the page's too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../contract/errors.js';
import { SECURITY_EVENT_TYPES } from '../../contract/values.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PAGE = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  additionalProperties?: boolean;
}

interface Operation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

/** The text under a heading, up to the next heading of the same or a higher level. */
function section(heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const lines = PAGE.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) return '';
  const end = lines.findIndex((line, index) => index > start && new RegExp(`^#{1,${level}} `).test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** Named as code (`x`) or as a JSON field ("x"). */
function names(text: string, name: string): boolean {
  return text.includes(`\`${name}\``) || text.includes(`"${name}"`);
}

/** The top-level fields an object schema (or each of its alternatives) names. */
function fieldsOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const alternatives = schema.oneOf ?? schema.anyOf ?? [schema];
  return [...new Set(alternatives.flatMap((alternative) => Object.keys(alternative.properties ?? {})))];
}

describe('docs/api.md', () => {
  let server: TestServer;
  let operations: { heading: string; operation: Operation }[];

  beforeAll(async () => {
    server = await startTestServer();
    const document = (await server.client().get('/api/v1/openapi.json')).json as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        heading: `### ${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        operation,
      })),
    );
  });
  afterAll(() => server.close());

  it('has a section for every endpoint, and documents no endpoint that does not exist', () => {
    expect(operations.length).toBeGreaterThan(15);
    const missing = operations.filter(({ heading }) => !PAGE.split('\n').includes(heading)).map((o) => o.heading);
    expect(missing).toEqual([]);
    const documented = PAGE.split('\n').filter((line) => /^### (GET|POST|PUT|PATCH|DELETE) \/api\//.test(line));
    expect(documented.sort()).toEqual(operations.map(({ heading }) => heading).sort());
  });

  it("names every field of each endpoint's request body and success answer in its section", () => {
    const unnamed: string[] = [];
    for (const { heading, operation } of operations) {
      const text = section(heading);
      const body = operation.requestBody?.content['application/json']?.schema;
      const answers = Object.entries(operation.responses)
        .filter(([status]) => status.startsWith('2'))
        .map(([, response]) => response.content?.['application/json']?.schema);
      for (const field of [...fieldsOf(body), ...answers.flatMap(fieldsOf)]) {
        if (!names(text, field)) unnamed.push(`${heading}: ${field}`);
      }
    }
    expect(unnamed).toEqual([]);
  });

  // The WebAuthn options (open objects, additionalProperties: true) are the WebAuthn spec's, named
  // by their spec type rather than field by field.
  it('names the nested answer fields a client reads (two-factor state, key, event)', () => {
    const nested: [string, Schema | undefined][] = operations.flatMap(({ heading, operation }) =>
      Object.values(operation.responses)
        .map((response) => response.content?.['application/json']?.schema)
        .flatMap((schema) =>
          Object.values(schema?.properties ?? {}).map((field): [string, Schema | undefined] => [
            heading,
            field.items ?? field,
          ]),
        ),
    );
    const unnamed = nested.flatMap(([heading, schema]) =>
      schema?.type === 'object' && schema.properties && !schema.additionalProperties && !('error' in schema.properties)
        ? fieldsOf(schema)
            .filter((field) => !names(section(heading), field) && !names(PAGE, field))
            .map((field) => `${heading}: ${field}`)
        : [],
    );
    expect(unnamed).toEqual([]);
  });

  it('lists every security event type the events answer can carry', () => {
    const events = operations.find(({ heading }) => heading === '### GET /api/v1/me/events')!.operation;
    const schema = events.responses['200']!.content!['application/json']!.schema;
    const types = schema.properties!.events!.items!.properties!.type!.enum as string[];
    expect(types).toEqual([...SECURITY_EVENT_TYPES]);
    const table = section('### Security event types');
    expect(types.filter((type) => !table.includes(`| \`${type}\``))).toEqual([]);
  });

  it('gives every error code the OpenAPI document lists its row, with the catalogue’s statuses and sentence', () => {
    const signIn = operations.find(({ heading }) => heading === '### POST /api/v1/session')!.operation;
    const codes = signIn.responses['401']!.content!['application/json']!.schema.properties!.error!.properties!.code!
      .enum as string[];
    expect(codes).toEqual(Object.keys(ERRORS));
    const table = section('## Error codes');
    const rows = new Map(
      table
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .map(([, code, statuses, sentence]) => [code!.slice(1, -1), { statuses, sentence }]),
    );
    for (const code of codes) {
      const entry = ERRORS[code as keyof typeof ERRORS];
      expect(rows.get(code), code).toEqual({ statuses: entry.statuses.join(', '), sentence: entry.message });
    }
    expect([...rows.keys()].sort()).toEqual([...codes].sort());
  });

  it('means what "Bodies" says of a GET: its body is not read', async () => {
    const answer = await server.client().get('/api/v1/health', { json: { anything: 'at all' } });
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe('ok');
    expect(section('### Bodies')).toContain('The body of a `GET` is not read');
  });

  it('cites only its own sections when it links within the page', () => {
    const anchors = new Set(
      PAGE.split('\n')
        .filter((line) => /^#{2,3} /.test(line))
        .map((line) =>
          line
            .replace(/^#+ /, '')
            .toLowerCase()
            .replace(/[^\w\- ]/g, '')
            .replaceAll(' ', '-'),
        ),
    );
    const links = [...PAGE.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });
});
