import { PlumblineError } from '@plumbline/client-core';
import { generateCommerceTypes } from './typegen.js';

interface Streams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: plumbline-commerce typegen --schema <url|file> --out <file.ts> [--token <token> | --username <user> --password <password>]

  --schema    https://<host>/rest/<store>/schema?services=all, or a saved Swagger/OpenAPI JSON or YAML file
  --out       where to write the TypeScript types (use with createCommerceClient<paths>())
  --token     admin or integration token (or PLUMBLINE_COMMERCE_TOKEN)
  --username  admin user; a token is fetched first
  --password  admin password (or PLUMBLINE_COMMERCE_PASSWORD, which keeps it out of shell history)
`;

function parseArgs(argv: string[]): {
  command?: string;
  flags: Record<string, string>;
  error?: string;
} {
  const [command, ...rest] = argv;
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (!arg.startsWith('--')) return { flags, error: `unexpected argument "${arg}"` };
    const eq = arg.indexOf('=');
    if (eq !== -1) {
      flags[arg.slice(2, eq)] = arg.slice(eq + 1);
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--'))
      return { flags, error: `${arg} needs a value` };
    flags[arg.slice(2)] = value;
    i++;
  }
  return command === undefined ? { flags } : { command, flags };
}

/** The CLI, testable: returns the exit code. Secrets never reach the output. */
export async function runCli(argv: string[], io: Streams): Promise<number> {
  const { command, flags, error } = parseArgs(argv);
  if (command === undefined || command === '--help' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'typegen') {
    io.stderr.write(`Unknown command "${command}".\n${USAGE}`);
    return 1;
  }
  const known = new Set(['schema', 'out', 'token', 'username', 'password']);
  const unknown = Object.keys(flags).find((f) => !known.has(f));
  if (error || unknown) {
    io.stderr.write(`${error ?? `unknown option --${unknown}`}\n${USAGE}`);
    return 1;
  }
  if (!flags.schema || !flags.out) {
    io.stderr.write(`--schema and --out are required.\n${USAGE}`);
    return 1;
  }
  const token = flags.token ?? io.env.PLUMBLINE_COMMERCE_TOKEN;
  const password = flags.password ?? io.env.PLUMBLINE_COMMERCE_PASSWORD;
  const secrets = [token, password].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  const scrub = (text: string) =>
    secrets.reduce((out, secret) => out.split(secret).join('[REDACTED]'), text);
  try {
    const result = await generateCommerceTypes({
      schema: flags.schema,
      out: flags.out,
      ...(token ? { token } : {}),
      ...(flags.username ? { username: flags.username } : {}),
      ...(password ? { password } : {}),
      onProgress: (message) => io.stderr.write(`• ${scrub(message)}\n`),
    });
    for (const repair of result.repairs.slice(0, 10))
      io.stderr.write(`  repaired: ${scrub(repair)}\n`);
    io.stdout.write(
      `${flags.out}: ${result.pathCount} paths. Use it with createCommerceClient<paths>({ … }).\n`,
    );
    return 0;
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    const code = caught instanceof PlumblineError ? ` [${caught.code}]` : '';
    io.stderr.write(`typegen failed${code}: ${scrub(message)}\n`);
    return 2;
  }
}
