// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_environment_insights', table => {
    table.comment(
      'Last collected health, costs and findings of each environment, one row per section',
    );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog ref of the environment entity');
    table
      .string('section', 16)
      .notNullable()
      .comment('health, costs or findings');
    table
      .text('data', 'longtext')
      .nullable()
      .comment('JSON of the section; null until a collection succeeded');
    table
      .text('summary')
      .nullable()
      .comment('Small JSON shown in the environments overview');
    table
      .timestamp('collected_at', { useTz: true })
      .nullable()
      .comment('When data was collected');
    table
      .text('last_error')
      .nullable()
      .comment(
        'Message of the last failed collection after data was collected',
      );
    table.timestamp('last_error_at', { useTz: true }).nullable();
    table.primary(['entity_ref', 'section']);
  });
  await knex.schema.createTable('aws_environment_refresh_requests', table => {
    table.comment(
      'Last on-demand refresh of each environment, to rate-limit them across replicas',
    );
    table.string('entity_ref', 255).primary();
    table.timestamp('requested_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_environment_refresh_requests');
  await knex.schema.dropTable('aws_environment_insights');
};
