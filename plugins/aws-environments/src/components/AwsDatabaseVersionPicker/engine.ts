import type { DatabaseEngine } from '@internal/plugin-aws-environments-common';
import {
  type CurrentComponent,
  type VersionPickerUiOptions,
  databaseEngineOf,
} from '../shared/versions';

export interface AwsDatabaseVersionPickerUiOptions
  extends VersionPickerUiOptions {
  /**
   * The form field holding the database engine (`rds-postgresql` or `aurora-postgresql`); `databaseEngine` when
   * absent. On the Update form an empty engine means the database's current one.
   */
  engineField?: string;
}

/**
 * The engine whose versions a database version field offers: the form's choice, else (Update form) the engine the
 * database runs.
 */
export function chosenDatabaseEngine(
  form: Record<string, unknown> | undefined,
  options: AwsDatabaseVersionPickerUiOptions | undefined,
  current: CurrentComponent | undefined,
): DatabaseEngine | undefined {
  return (
    databaseEngineOf(form?.[options?.engineField ?? 'databaseEngine']) ??
    current?.engine
  );
}
