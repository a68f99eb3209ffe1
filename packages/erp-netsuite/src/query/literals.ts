import { SuiteqlValueError } from '../errors.js';

/**
 * Oracle's NUMBER holds absolute values from 1e-130 up to, not including, 1e126; a literal outside
 * that range is an error or becomes 0 on the server, so it is refused here.
 */
const NUMBER_MAX = 1e126;
const NUMBER_MIN = 1e-130;

/**
 * The plain decimal form of a finite number, with the shortest digits that read back as the same
 * double (those of `String(value)`), never an exponent: `1e21` -> `1000000000000000000000`,
 * `1.5e-7` -> `0.00000015`.
 */
export function plainDecimal(value: number): string {
  const text = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, whole = '', fraction = '', exponent = '0'] = m;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function numberLiteral(index: number, value: number | bigint): string {
  if (typeof value === 'bigint') {
    const magnitude = value < 0n ? -value : value;
    if (magnitude >= 10n ** 126n) {
      throw new SuiteqlValueError(
        index,
        `the bigint ${value} is outside SuiteQL's NUMBER range (absolute value below 1e126)`,
      );
    }
    return value.toString();
  }
  if (!Number.isFinite(value)) {
    throw new SuiteqlValueError(index, `the number ${value} is not finite`);
  }
  const magnitude = Math.abs(value);
  if (magnitude >= NUMBER_MAX || (magnitude !== 0 && magnitude < NUMBER_MIN)) {
    throw new SuiteqlValueError(
      index,
      `the number ${value} is outside SuiteQL's NUMBER range (absolute values from 1e-130 up to, not including, 1e126)`,
    );
  }
  return Object.is(value, -0) ? '0' : plainDecimal(value);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function checkYear(index: number, year: number, what: string): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new SuiteqlValueError(
      index,
      `${what} has the year ${year}; SuiteQL dates run from year 0001 to 9999 (Oracle refuses year 0)`,
    );
  }
}

/** `TO_DATE('YYYY-MM-DD HH24:MI:SS', 'YYYY-MM-DD HH24:MI:SS')` of a Date, in UTC. */
export function dateLiteral(index: number, value: Date): string {
  const time = value.getTime();
  if (!Number.isFinite(time)) throw new SuiteqlValueError(index, 'the Date is invalid (NaN time)');
  checkYear(index, value.getUTCFullYear(), 'the Date');
  const text =
    `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())} ` +
    `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
  return `TO_DATE('${text}', 'YYYY-MM-DD HH24:MI:SS')`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** `TO_DATE('YYYY-MM-DD', 'YYYY-MM-DD')` of a calendar date (`'2024-02-11'`) or a Date's UTC day. */
export function dateOnlyLiteral(index: number, value: string | Date): string {
  if (value instanceof Date) {
    if (!Number.isFinite(value.getTime())) {
      throw new SuiteqlValueError(index, 'the Date is invalid (NaN time)');
    }
    checkYear(index, value.getUTCFullYear(), 'the Date');
    const text = `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    return `TO_DATE('${text}', 'YYYY-MM-DD')`;
  }
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m) {
    throw new SuiteqlValueError(
      index,
      `${JSON.stringify(value) ?? String(value)} is not a date: write it as YYYY-MM-DD`,
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  checkYear(index, year, `the date "${value}"`);
  if (month < 1 || month > 12) {
    throw new SuiteqlValueError(index, `the date "${value}" has no month ${month}`);
  }
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    throw new SuiteqlValueError(
      index,
      `the date "${value}" does not exist: month ${month} of ${m[1]} has ${last} days`,
    );
  }
  return `TO_DATE('${value}', 'YYYY-MM-DD')`;
}
