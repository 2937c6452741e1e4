import { createRegistry } from '../../adapters/registry';
import { runbookJsonSchema } from '../../runbook/json-schema';

/** `opsctl schema`: the JSON Schema of the runbook format, every registered action included. */
export default function schema(): void {
  process.stdout.write(`${JSON.stringify(runbookJsonSchema(createRegistry()), null, 2)}\n`);
}
