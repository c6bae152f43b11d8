/** Filters and paging the security services' list operations share. */
import { awsError } from '../errors';

type StringFilter = { Value?: string; Comparison?: string };
type MapFilter = { Key?: string; Value?: string; Comparison?: string };

export function stringFilterMatches(
  filters: StringFilter[] | undefined,
  value: string | undefined,
): boolean {
  if (!filters?.length) return true;
  const positive = filters.filter(
    f =>
      !f.Comparison?.startsWith('NOT_') && f.Comparison !== 'PREFIX_NOT_EQUALS',
  );
  const negative = filters.filter(
    f =>
      f.Comparison?.startsWith('NOT_') || f.Comparison === 'PREFIX_NOT_EQUALS',
  );
  const test = (f: StringFilter) => {
    const v = value ?? '';
    const target = f.Value ?? '';
    switch (f.Comparison) {
      case 'PREFIX':
      case 'PREFIX_NOT_EQUALS':
        return v.startsWith(target);
      case 'CONTAINS':
      case 'NOT_CONTAINS':
        return v.includes(target);
      default:
        return v === target;
    }
  };
  return (
    (positive.length === 0 || positive.some(test)) &&
    negative.every(f => !test(f))
  );
}

export function mapFilterMatches(
  filters: MapFilter[] | undefined,
  map: Record<string, string>,
): boolean {
  if (!filters?.length) return true;
  const positive = filters.filter(
    f => f.Comparison !== 'NOT_EQUALS' && f.Comparison !== 'NOT_CONTAINS',
  );
  const negative = filters.filter(
    f => f.Comparison === 'NOT_EQUALS' || f.Comparison === 'NOT_CONTAINS',
  );
  const test = (f: MapFilter) => {
    const v = map[f.Key ?? ''];
    if (v === undefined) return false;
    return f.Comparison?.includes('CONTAINS')
      ? v.includes(f.Value ?? '')
      : v === f.Value;
  };
  return (
    (positive.length === 0 || positive.some(test)) &&
    negative.every(f => !test(f))
  );
}

export function pageOf<T>(
  items: T[],
  token: string | undefined,
  size: number,
  service: string,
) {
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) {
      throw awsError(
        service,
        service === 'securityhub'
          ? 'InvalidInputException'
          : 'ValidationException',
        'The NextToken is not valid',
      );
    }
  }
  const slice = items.slice(start, start + size);
  const next =
    start + size < items.length
      ? Buffer.from(String(start + size)).toString('base64')
      : undefined;
  return { slice, next };
}
