import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printSortedSchema } from '../../src/schema';

describe('schema snapshot', () => {
  it('schema/schema.graphql matches the code (run `npm run schema` after a change)', async () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(await printSortedSchema()).toBe(committed);
  });

  it('no GraphQL name holds æ, ø or å', async () => {
    const sdl = await printSortedSchema();
    const names = sdl.match(/^\s*(?:type|input|enum|scalar|interface|union)\s+\w+|^\s+\w+(?=[(:])/gm) ?? [];
    expect(names.filter((n) => /[æøåÆØÅ]/.test(n))).toEqual([]);
  });
});
