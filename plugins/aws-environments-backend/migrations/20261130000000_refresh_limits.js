// @ts-check

/**
 * On-demand refreshes are limited per section of an environment (not per environment) and per user and rolling
 * hour, so the single-row-per-environment table gives way to two tables.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_environment_section_refreshes', table => {
    table.comment(
      'Last on-demand refresh of each section of each environment, to rate-limit them across replicas',
    );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog ref of the environment entity');
    table.string('section', 16).notNullable().comment('health or findings');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'section']);
  });
  await knex.schema.createTable('aws_environment_user_refreshes', table => {
    table.comment(
      'On-demand refreshes of the last hour per user or service, for the per-user budget; older rows are removed',
    );
    table.bigIncrements('id').primary();
    table
      .string('principal', 255)
      .notNullable()
      .comment('User entity ref, or the subject of a service');
    table.string('entity_ref', 255).notNullable();
    table
      .string('sections', 64)
      .notNullable()
      .comment('Comma-separated sections collected by the request');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.index(
      ['principal', 'requested_at'],
      'aws_env_user_refreshes_principal_idx',
    );
    table.index(['requested_at'], 'aws_env_user_refreshes_requested_idx');
  });
  await knex.schema.dropTable('aws_environment_refresh_requests');
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.createTable('aws_environment_refresh_requests', table => {
    table.comment(
      'Last on-demand refresh of each environment, to rate-limit them across replicas',
    );
    table.string('entity_ref', 255).primary();
    table.timestamp('requested_at', { useTz: true }).notNullable();
  });
  await knex.schema.dropTable('aws_environment_user_refreshes');
  await knex.schema.dropTable('aws_environment_section_refreshes');
};
