import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlumblineError } from '@plumbline/client-core';
import { createSalesforceClient } from '../client.js';
import { type DescribeLike, generateTypes, TypegenError } from './generate.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Underlying fetch for org mode (tests pass an emulator). */
  fetch?: (request: Request) => Promise<Response>;
}

const USAGE = `Usage:
  plumbline-salesforce typegen --objects Account,Contact,Invoice__c --out src/salesforce-types.ts
      [--describe <dir|file.json>]            read saved describe JSON instead of calling the org
      [--instance-url https://acme.my.salesforce.com] [--api-version 62.0]
      [--login-url https://login.salesforce.com]

Org credentials come from the environment, never from flags:
  SALESFORCE_ACCESS_TOKEN (+ --instance-url or SALESFORCE_INSTANCE_URL), or
  SALESFORCE_CLIENT_ID + SALESFORCE_CLIENT_SECRET (client credentials, My Domain --login-url).
`;

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--'))
      throw new TypegenError(`Unexpected argument ${JSON.stringify(arg)}.\n${USAGE}`);
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--'))
      throw new TypegenError(`--${key} needs a value.\n${USAGE}`);
    out[key] = value;
  }
  return out;
}

function readDescribes(path: string): DescribeLike[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new TypegenError(`--describe ${path} does not exist.`);
  const files = stat.isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(path, f))
    : [path];
  const out: DescribeLike[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new TypegenError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      if (
        !item ||
        typeof item !== 'object' ||
        typeof (item as DescribeLike).name !== 'string' ||
        !Array.isArray((item as DescribeLike).fields)
      ) {
        throw new TypegenError(
          `${file} does not hold describe results (objects with name and fields).`,
        );
      }
      out.push(item as DescribeLike);
    }
  }
  return out;
}

async function describeFromOrg(
  objects: string[],
  args: Record<string, string>,
  io: CliIo,
): Promise<DescribeLike[]> {
  const token = io.env.SALESFORCE_ACCESS_TOKEN;
  const instanceUrl = args['instance-url'] ?? io.env.SALESFORCE_INSTANCE_URL;
  const common = {
    ...(args['api-version'] ? { apiVersion: args['api-version'] } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  };
  let client: ReturnType<typeof createSalesforceClient>;
  if (token) {
    if (!instanceUrl)
      throw new TypegenError(
        'SALESFORCE_ACCESS_TOKEN needs --instance-url (or SALESFORCE_INSTANCE_URL).',
      );
    client = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: token, instanceUrl },
      ...common,
    });
  } else if (io.env.SALESFORCE_CLIENT_ID && io.env.SALESFORCE_CLIENT_SECRET) {
    client = createSalesforceClient({
      ...(args['login-url'] ? { loginUrl: args['login-url'] } : {}),
      auth: {
        type: 'clientCredentials',
        clientId: io.env.SALESFORCE_CLIENT_ID,
        clientSecret: io.env.SALESFORCE_CLIENT_SECRET,
      },
      ...common,
    });
  } else {
    throw new TypegenError(
      `No describe source: pass --describe <dir|file> or set org credentials.\n${USAGE}`,
    );
  }
  const out: DescribeLike[] = [];
  for (const object of objects) {
    const { data } = await client.GET('/sobjects/{sobject}/describe', {
      params: { path: { sobject: object } },
    });
    out.push(data as DescribeLike);
  }
  return out;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === 'help') {
      io.stdout(USAGE);
      return command ? 0 : 1;
    }
    if (command !== 'typegen')
      throw new TypegenError(`Unknown command ${JSON.stringify(command)}.\n${USAGE}`);
    const args = parseArgs(rest);
    const objects = (args.objects ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    if (objects.length === 0) throw new TypegenError(`--objects is required.\n${USAGE}`);
    if (!args.out) throw new TypegenError(`--out is required.\n${USAGE}`);
    const describes = args.describe
      ? readDescribes(args.describe)
      : await describeFromOrg(objects, args, io);
    const source = generateTypes(describes, objects);
    writeFileSync(args.out, source);
    io.stdout(
      `Wrote ${objects.length} object type${objects.length === 1 ? '' : 's'} (${objects.join(', ')}) to ${args.out}\n`,
    );
    return 0;
  } catch (error) {
    io.stderr(`${error instanceof PlumblineError ? error.message : String(error)}\n`);
    return 1;
  }
}
