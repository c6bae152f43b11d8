// @ts-check

/**
 * List prices read from the AWS Price List API, one row per Region, for the cost estimate of new environments.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_environment_prices', table => {
    table.comment(
      'Last list prices read from the AWS Price List API per Region, and the last failed read since',
    );
    table
      .string('region', 32)
      .primary()
      .comment('AWS Region priced, e.g. eu-central-1');
    table
      .text('prices')
      .nullable()
      .comment('JSON of the RegionPrices; null until a read succeeded');
    table
      .text('missing')
      .nullable()
      .comment(
        'JSON list of the figures the API did not price, which hold the snapshot value',
      );
    table
      .string('source', 16)
      .nullable()
      .comment('aws, or simulated when the simulated organization answered');
    table
      .timestamp('read_at', { useTz: true })
      .nullable()
      .comment('When the prices were read');
    table
      .text('last_error')
      .nullable()
      .comment('Message of the last failed read after the prices were read');
    table.timestamp('last_error_at', { useTz: true }).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_environment_prices');
};
