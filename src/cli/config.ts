import { UsageError, type ParsedArgs } from './args';
import { configFromArgs } from './context';
import { redactConfig } from '../config/load';

/** `forte config show`: the effective settings with secrets replaced by asterisks. */
export async function configCommand(args: ParsedArgs): Promise<number> {
  if (args.positionals[1] !== 'show') throw new UsageError('usage: forte config show');
  console.log(JSON.stringify(redactConfig(configFromArgs(args, { persistDefaults: false })), null, 2));
  return 0;
}
