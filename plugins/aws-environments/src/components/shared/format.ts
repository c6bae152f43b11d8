export function formatCurrency(
  amount: number | undefined,
  currency = 'USD',
  options: { cents?: boolean } = {},
): string {
  if (amount === undefined || !Number.isFinite(amount)) {
    return '—';
  }
  const digits = options.cents ? 2 : 0;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago", "3 days ago": how old a time is, in the largest unit that fits. */
export function formatAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) {
    return '—';
  }
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!Number.isFinite(seconds)) {
    return '—';
  }
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      return relative.format(Math.round(seconds / size), unit);
    }
  }
  return relative.format(seconds, 'second');
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Shortens an AWS service name from Cost Explorer for chart legends. */
export function shortServiceName(service: string): string {
  return service
    .replace(/^Amazon /, '')
    .replace(/^AWS /, '')
    .replace('Elastic Compute Cloud - Compute', 'EC2')
    .replace('Relational Database Service', 'RDS')
    .replace('Elastic Container Service for Kubernetes', 'EKS')
    .replace('Elastic Load Balancing', 'ELB');
}

const clockTime = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "14:05": the local time of day, for "Updated …" notes that the reader compares with the clock on the wall. */
export function formatClockTime(date: Date): string {
  return clockTime.format(date);
}

const zoneName = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' });

/** "14:05 CET": the local time of day with the short name of the browser's time zone. */
export function formatClockTimeWithZone(date: Date): string {
  const zone = zoneName
    .formatToParts(date)
    .find(part => part.type === 'timeZoneName')?.value;
  return zone ? `${formatClockTime(date)} ${zone}` : formatClockTime(date);
}
