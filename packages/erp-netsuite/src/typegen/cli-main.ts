import { readFile, writeFile } from 'node:fs/promises';
import { createNetSuiteClient, type NetSuiteAuth } from '../client.js';
import { emitTypes } from './emit.js';
import { readMetadataCatalog, TypegenError } from './model.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Underlying fetch for live mode (tests point it at the emulator). */
  fetch?: typeof fetch;
}

const USAGE = `Usage:
  plumbline-netsuite typegen --records customer,salesOrder --out <file.ts> --schema <metadata.json>
  plumbline-netsuite typegen --records customer,salesOrder --out <file.ts> --account <id> [--base-url <url>]

Live mode reads the account's metadata catalog
(GET /services/rest/record/v1/metadata-catalog?select=..., Accept: application/swagger+json)
with credentials from the environment:
  token-based auth:  NETSUITE_CONSUMER_KEY, NETSUITE_CONSUMER_SECRET, NETSUITE_TOKEN_ID, NETSUITE_TOKEN_SECRET
  OAuth 2.0 M2M:     NETSUITE_CLIENT_ID, NETSUITE_CERTIFICATE_ID, NETSUITE_PRIVATE_KEY_FILE [NETSUITE_ALGORITHM]`;

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new TypegenError(`unexpected argument "${a}"\n\n${USAGE}`);
    const eq = a.indexOf('=');
    if (eq !== -1) args.set(a.slice(2, eq), a.slice(eq + 1));
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new TypegenError(`option ${a} needs a value\n\n${USAGE}`);
      }
      args.set(a.slice(2), value);
      i++;
    }
  }
  return args;
}

async function authFromEnv(env: CliIo['env']): Promise<NetSuiteAuth> {
  if (env.NETSUITE_CONSUMER_KEY || env.NETSUITE_TOKEN_ID) {
    const need = [
      'NETSUITE_CONSUMER_KEY',
      'NETSUITE_CONSUMER_SECRET',
      'NETSUITE_TOKEN_ID',
      'NETSUITE_TOKEN_SECRET',
    ];
    const missing = need.filter((n) => !env[n]);
    if (missing.length)
      throw new TypegenError(`token-based auth needs ${missing.join(', ')} in the environment`);
    return {
      type: 'tba',
      consumerKey: env.NETSUITE_CONSUMER_KEY!,
      consumerSecret: env.NETSUITE_CONSUMER_SECRET!,
      tokenId: env.NETSUITE_TOKEN_ID!,
      tokenSecret: env.NETSUITE_TOKEN_SECRET!,
    };
  }
  if (env.NETSUITE_CLIENT_ID) {
    const need = ['NETSUITE_CLIENT_ID', 'NETSUITE_CERTIFICATE_ID', 'NETSUITE_PRIVATE_KEY_FILE'];
    const missing = need.filter((n) => !env[n]);
    if (missing.length)
      throw new TypegenError(`OAuth 2.0 M2M needs ${missing.join(', ')} in the environment`);
    return {
      type: 'm2m',
      clientId: env.NETSUITE_CLIENT_ID,
      certificateId: env.NETSUITE_CERTIFICATE_ID!,
      privateKey: await readFile(env.NETSUITE_PRIVATE_KEY_FILE!, 'utf8'),
      ...(env.NETSUITE_ALGORITHM ? { algorithm: env.NETSUITE_ALGORITHM as 'PS256' } : {}),
    };
  }
  throw new TypegenError(
    'live mode needs credentials in the environment (NETSUITE_CONSUMER_KEY... or NETSUITE_CLIENT_ID...), or pass --schema <file>',
  );
}

/** `plumbline-netsuite typegen ...`; returns the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'typegen') {
    io.err(`unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  try {
    const args = parseArgs(rest);
    const records = (args.get('records') ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const out = args.get('out');
    if (records.length === 0)
      throw new TypegenError(`--records is required (e.g. customer,salesOrder)\n\n${USAGE}`);
    if (!out) throw new TypegenError(`--out is required (the .ts file to write)\n\n${USAGE}`);
    let doc: unknown;
    let source: string;
    const schemaFile = args.get('schema');
    if (schemaFile) {
      io.err(`reading ${schemaFile}`);
      try {
        doc = JSON.parse(await readFile(schemaFile, 'utf8'));
      } catch (error) {
        throw new TypegenError(`cannot read --schema ${schemaFile}: ${(error as Error).message}`);
      }
      source = schemaFile.split(/[\\/]/).pop()!;
    } else {
      const account = args.get('account');
      if (!account)
        throw new TypegenError(`pass --account <id> (live) or --schema <file>\n\n${USAGE}`);
      const client = createNetSuiteClient({
        accountId: account,
        auth: await authFromEnv(io.env),
        ...(args.get('base-url') ? { baseUrl: args.get('base-url')! } : {}),
        ...(io.fetch ? { fetch: io.fetch } : {}),
      });
      io.err(`fetching the metadata catalog of ${account} for ${records.join(', ')}`);
      const { data } = await client.GET('/record/v1/metadata-catalog', {
        params: {
          query: { select: records.join(',') },
          header: { Accept: 'application/swagger+json' },
        },
      });
      doc = data;
      source = `the metadata catalog of account ${account}`;
    }
    const models = readMetadataCatalog(doc, records);
    for (const m of models) {
      const custom = m.fields.filter((f) => f.custom).length;
      io.err(`  ${m.name}: ${m.fields.length} fields (${custom} custom)`);
    }
    await writeFile(out, emitTypes(models, source));
    io.out(`wrote ${out}`);
    return 0;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    io.err(`plumbline-netsuite: ${e.code ? `[${e.code}] ` : ''}${e.message ?? String(error)}`);
    return 1;
  }
}
