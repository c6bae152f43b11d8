// @ts-check

/**
 * The Kubernetes and PostgreSQL versions AWS offers, read daily per allowed account and Region, for the version
 * checks, the form's version pickers and the lifecycle part of each environment's health.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_environment_versions', table => {
    table.comment(
      'Last versions read from EKS and RDS per account and Region, and the last failed read since',
    );
    table.string('account_id', 12).notNullable().comment('AWS account ID');
    table
      .string('region', 32)
      .notNullable()
      .comment('AWS Region, e.g. eu-central-1');
    table
      .text('versions')
      .nullable()
      .comment(
        'JSON of the versions read (Kubernetes versions, engine versions per engine); null until a read succeeded',
      );
    table
      .string('source', 16)
      .nullable()
      .comment('aws, or simulated when the simulated organization answered');
    table
      .timestamp('read_at', { useTz: true })
      .nullable()
      .comment('When the versions were read');
    table
      .text('last_error')
      .nullable()
      .comment('Message of the last failed read after the versions were read');
    table.timestamp('last_error_at', { useTz: true }).nullable();
    table.primary(['account_id', 'region']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_environment_versions');
};
