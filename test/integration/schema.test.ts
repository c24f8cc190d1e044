import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getMetadataStorage } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { Borger } from '../../src/borger/borger.entity';
import { getNamedType, isObjectType, type GraphQLNamedType } from 'graphql';
import { ACCESS_LOG_EXTENSION } from '../../src/access-log/logs-read';
import { createSchema, printSortedSchema } from '../../src/schema';

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

describe('access to what a borger holds', () => {
  it("every field resolver of Borger names the roles that may read it (borger(cpr) is open to UDK, a-kasser and the borger: a field without roles would be open to them too)", async () => {
    await printSortedSchema(); // builds the schema, so every resolver's metadata is registered
    const storage = getMetadataStorage();
    const open = storage.fieldResolvers
      .filter((f) => f.getObjectType?.() === Borger)
      .filter((f) => !storage.authorizedFields.some((a) => a.target === f.target && a.fieldName === f.methodName))
      .map((f) => f.schemaName);
    expect(storage.fieldResolvers.filter((f) => f.getObjectType?.() === Borger).length).toBeGreaterThan(10);
    expect(open).toEqual([]);
  });
});

describe('X-4 on mutation answers', () => {
  it('X-4: every mutation whose answer carries a borger (a cpr on it or one level down, or a CV) logs it as a read (@LogsRead)', async () => {
    const schema = await createSchema();
    const hasCpr = (t: GraphQLNamedType) => isObjectType(t) && 'cpr' in t.getFields();
    // Answers about one borger's CV, without a cpr field of their own.
    const cvAnswers = ['CvStatusIndberetningResultat', 'CvTilstand'];
    const carrying = Object.values(schema.getMutationType()!.getFields()).filter((f) => {
      const t = getNamedType(f.type);
      if (hasCpr(t) || cvAnswers.includes(t.name)) return true;
      return isObjectType(t) && Object.values(t.getFields()).some((c) => hasCpr(getNamedType(c.type)));
    });
    expect(carrying.length).toBeGreaterThan(30);
    expect(carrying.filter((f) => !f.extensions?.[ACCESS_LOG_EXTENSION]).map((f) => f.name)).toEqual([]);
  });
});
