/** How long ago `then` was, as a short label: "now", "3 s ago", "5 min ago", "2 h ago", "4 d ago", or a date after a month. */
export function timeAgo(then: Date | string | number, now: number = Date.now()): string {
  const time = new Date(then).getTime();
  if (Number.isNaN(time)) return '';
  const seconds = Math.floor((now - time) / 1000);
  // A server clock slightly ahead of ours would give negative ages.
  if (seconds < 1) return 'now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 31) return `${days} d ago`;
  return new Date(time).toISOString().slice(0, 10);
}

/** A span as its largest unit: "3 s", "5 min", "2 h", "4 d", "3 mo", "8 y". */
function span(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const units: [number, string][] = [
    [365 * 86_400, 'y'],
    [30 * 86_400, 'mo'],
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
  ];
  for (const [size, unit] of units) if (seconds >= size) return `${Math.floor(seconds / size)} ${unit}`;
  return `${seconds} s`;
}

/** A time in the future or the past, e.g. a JWT's expiry: "in 2 h", "3 d ago", "8 y ago". */
export function relativeTime(then: Date | string | number, now: number = Date.now()): string {
  const time = new Date(then).getTime();
  if (Number.isNaN(time)) return '';
  if (Math.abs(time - now) < 1000) return 'now';
  return time > now ? `in ${span(time - now)}` : `${span(now - time)} ago`;
}

/** A timestamp as local date and time with seconds and milliseconds: "2024-05-01 14:03:07.123". */
export function formatTimestamp(then: Date | string | number): string {
  const d = new Date(then);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}
