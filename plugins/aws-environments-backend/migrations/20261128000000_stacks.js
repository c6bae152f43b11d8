// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aws_environment_stacks', table => {
    // knex does not escape quotes in comments, so they carry none.
    table.comment(
      'Last collected details of the CloudFormation stacks of each environment: resources, outputs, recent events, drift',
    );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog ref of the environment entity');
    table.string('stack_name', 128).notNullable();
    table
      .integer('position')
      .notNullable()
      .comment('Index of the stack in the deployment order of the environment');
    table
      .text('detail', 'longtext')
      .notNullable()
      .comment('JSON of the stack detail (StackDetail)');
    table.timestamp('collected_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'stack_name']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aws_environment_stacks');
};
