// @ts-check

/**
 * The history of each environment: one row per mutating operation (who, what, when, inputs without secrets,
 * change-set summary, result), as recorded through the auditor.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_environment_history', table => {
    table.comment(
      'Mutating operations on each environment, newest last; inputs carry no secret values',
    );
    table
      .string('id', 255)
      .primary()
      .comment(
        'Stable per operation (task and step), so that a re-run replaces its entry',
      );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog ref of the environment entity');
    table
      .string('operation', 32)
      .notNullable()
      .comment(
        'create, update, teardown, register, drift-check, stack-deploy or refresh',
      );
    table
      .string('actor', 255)
      .notNullable()
      .comment(
        'User entity ref the operation ran for, or the service that ran it',
      );
    table.string('result', 16).notNullable().comment('succeeded or failed');
    table
      .text('entry')
      .notNullable()
      .comment('JSON of the whole entry (EnvironmentHistoryEntry)');
    table
      .timestamp('completed_at', { useTz: true })
      .notNullable()
      .comment('When the operation ended');
    table.index(['entity_ref', 'completed_at'], 'aws_env_history_ref_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_environment_history');
};
