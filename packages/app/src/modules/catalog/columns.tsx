import { type TableColumn } from '@backstage/core-components';
import {
  CatalogTable,
  type CatalogTableColumnsFunc,
  type CatalogTableRow,
} from '@backstage/plugin-catalog';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import {
  cloneElement,
  Fragment,
  isValidElement,
  type CSSProperties,
  type ReactElement,
} from 'react';

/**
 * Text that may wrap between its words but never inside one, not even at a hyphen ("innovate-staging",
 * "aws-environment"): the theme lets table cells break anywhere (`break-word`), and a browser breaks after a hyphen.
 */
export function KeepWords(props: { text: string }) {
  const words = props.text.split(/\s+/).filter(Boolean);
  return (
    <>
      {words.map((word, index) => (
        <Fragment key={index}>
          {index > 0 && ' '}
          <span style={{ whiteSpace: 'nowrap' }}>{word}</span>
        </Fragment>
      ))}
    </>
  );
}

/** Cells and headers: whole words, and less padding than the theme's so that all columns fit at 1280 px. */
const CELL_STYLE: CSSProperties = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
  paddingLeft: 8,
  paddingRight: 8,
};

const HEADER_STYLE: CSSProperties = { ...CELL_STYLE, fontSize: 12 };

type Row = CatalogTableRow;
type Column = TableColumn<Row>;
/** The description, at most two lines with the whole text on hover, and the tags under it. */
function DescriptionAndTags(props: { row: Row }) {
  const { description, tags } = props.row.entity.metadata;
  return (
    <>
      {description && (
        <Tooltip title={description} placement="bottom-start">
          <span
            style={{
              display: '-webkit-box',
              WebkitLineClamp: 2,
              WebkitBoxOrient: 'vertical',
              overflow: 'hidden',
            }}
          >
            <KeepWords text={description} />
          </span>
        </Tooltip>
      )}
      {tags && tags.length > 0 && (
        <div>
          {tags.map(tag => (
            <Chip
              key={tag}
              label={tag}
              size="small"
              variant="outlined"
              style={{ margin: 2 }}
            />
          ))}
        </div>
      )}
    </>
  );
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * One of the catalog's own columns, with its words kept whole. The tags join the description's cell, so that the
 * table needs one column less beside the sidebar and the filters.
 */
function withWholeWords(column: Column): Column | undefined {
  const field = String(column.field ?? '');
  const styled: Column = {
    ...column,
    headerStyle: { ...column.headerStyle, ...HEADER_STYLE },
    cellStyle: { ...(column.cellStyle as CSSProperties), ...CELL_STYLE },
  };
  const original = column.render;
  // Systems and owners keep the catalog's own links, which show the related entities' titles once loaded
  // ("Web application team"); those titles wrap between their words.
  switch (field) {
    case 'resolved.entityRef':
      return {
        ...styled,
        render: (row, type) => {
          const link = original?.(row, type);
          return isValidElement(link) ? (
            cloneElement(link as ReactElement<any>, {
              children: <KeepWords text={row.resolved.name} />,
            })
          ) : (
            <KeepWords text={row.resolved.name} />
          );
        },
      };
    case 'entity.spec.type':
    case 'entity.spec.lifecycle':
    case 'entity.metadata.namespace':
      return {
        ...styled,
        render: row => (
          <KeepWords
            text={textOf(
              field
                .split('.')
                .reduce<unknown>(
                  (value, key) => (value as Record<string, unknown>)?.[key],
                  row,
                ),
            )}
          />
        ),
      };
    case 'entity.metadata.description':
      return { ...styled, render: row => <DescriptionAndTags row={row} /> };
    case 'entity.metadata.tags':
      return undefined;
    default:
      return styled;
  }
}

/** The catalog's own columns for the kind shown, with words that never break across lines. */
export const catalogColumns: CatalogTableColumnsFunc = context => {
  // A lifecycle column with nothing in it (resources seldom have one) only takes room from the others.
  const lifecycles = context.entities.some(
    entity => typeof entity.spec?.lifecycle === 'string',
  );
  return CatalogTable.defaultColumnsFunc(context)
    .filter(column => lifecycles || column.field !== 'entity.spec.lifecycle')
    .map(withWholeWords)
    .filter((column): column is Column => column !== undefined);
};
