// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_environment_cost_refreshes', table => {
    table.comment(
      'Last time the whole 90 days of costs of each account were read from Cost Explorer; later runs read only recent days',
    );
    table.string('account_id', 12).primary().comment('AWS account ID');
    table.timestamp('full_refresh_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_environment_cost_refreshes');
};
