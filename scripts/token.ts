import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, TokenService } from '../src/auth/token';
import { isRole, ROLES } from '../src/context/roles';

/** npm run token -- --role JOBCENTER --org 101 [--sub user-id] [--expires 12h] */
async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      org: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  if (!isRole(values.role) || !values.org) {
    console.error(`usage: npm run token -- --role <${ROLES.join('|')}> --org <org> [--sub <user-id>] [--expires 12h]`);
    process.exit(2);
  }
  if (!process.env.JWT_SECRET) console.error('JWT_SECRET is not set: signing with the development secret.');
  const tokens = new TokenService(process.env.JWT_SECRET || DEV_JWT_SECRET);
  console.log(await tokens.sign({ role: values.role, org: values.org, sub: values.sub }, values.expires));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
