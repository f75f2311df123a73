import { parseArgs, UsageError } from './cli/args';
import { ConfigError } from './config/load';
import { SchemaTooNewError } from './db/migrate';

const USAGE = `forte — store management for independent music stores

usage: forte <command> [--data-dir DIR] [options]

  serve [--port N] [--demo]            run the server (default command; --demo seeds an empty store)
  migrate [--status]                   apply or list database migrations
  admin create --username U --password P [--name N] [--email E] [--role owner]
  admin reset-password --username U --password P
  admin list
  admin token create --name N [--permissions a.b,c.d]
  doctor                               check the installation (✓/✗)
  config show                          effective settings, secrets hidden
  jobs list | jobs run NAME [--as-of YYYY-MM-DD]
  import KIND FILE.csv [--commit]       CSV import (dry run unless --commit)
  seed demo [--seed N]                 load a realistic demo store (once; same data per seed)
  healthcheck                          exit 0 when /healthz answers 200
  version

Every command takes --data-dir (or FORTE_DATA_DIR).`;

/** argv -> command. Nothing else lives here. */
async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const command = args.positionals[0] ?? 'serve';
  if (args.options.help || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  switch (command) {
    case 'serve':
      return (await import('./cli/serve')).serveCommand(args);
    case 'migrate':
      return (await import('./cli/migrate')).migrateCommand(args);
    case 'admin':
      return (await import('./cli/admin')).adminCommand(args);
    case 'doctor':
      return (await import('./cli/doctor')).doctorCommand(args);
    case 'config':
      return (await import('./cli/config')).configCommand(args);
    case 'jobs':
      return (await import('./cli/jobs')).jobsCommand(args);
    case 'import':
      return (await import('./cli/import')).importCommand(args);
    case 'seed':
      return (await import('./cli/seed')).seedCommand(args);
    case 'healthcheck':
      return (await import('./cli/healthcheck')).healthcheckCommand(args);
    case 'version':
      return (await import('./cli/version')).versionCommand();
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof SchemaTooNewError) {
      console.error(`forte: ${err.message}`);
      process.exit(2);
    }
    console.error(`forte: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
