/** The simulated CloudFormation's command handlers, by API family. */
import type { CommandHandlers } from '../types';
import { changeSetCommands } from './changeSetCommands';
import { driftCommands } from './driftCommands';
import type { CloudFormationEngine } from './engine';
import { stackCommands } from './stackCommands';

export { describeStack } from './views';

export function cloudFormationHandlers(
  engine: CloudFormationEngine,
  seed: number,
): CommandHandlers {
  return {
    ...stackCommands(engine),
    ...changeSetCommands(engine),
    ...driftCommands(engine, seed),
  };
}
