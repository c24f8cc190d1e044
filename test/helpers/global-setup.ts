import 'reflect-metadata';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDb } from '../../src/db/embedded';
import { createOrm, migrate } from '../../src/db/orm';
import { entities } from '../../src/modules';
import { withDatabase } from './pg-url';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

/**
 * One PostgreSQL for the run: TEST_DATABASE_URL when set (CI), else an embedded server in a temp dir.
 * Migrations run once into a template database; each test file clones it (see db.ts).
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDb | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(tmpdir(), 'dfdg-test-pg-'));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this directory.
    await chmod(dir, 0o755);
    const port = 55000 + Math.floor(Math.random() * 5000);
    embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port, log: pino({ level: 'silent' }), persistent: false });
    adminUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`Cannot reach the test database at ${redact(adminUrl)}: ${(e as Error).message}`);
  }
  const templateDb = `dfdg_tpl_${process.pid}`;
  await admin.query(`drop database if exists ${templateDb}`);
  await admin.query(`create database ${templateDb}`);
  const orm = await createOrm({ url: withDatabase(adminUrl, templateDb), entities });
  await migrate(orm);
  await orm.close(true);

  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);

  return async () => {
    await admin.query(`drop database if exists ${templateDb} with (force)`).catch(() => undefined);
    await admin.end();
    await embedded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
