// Numbers, money and months the way Chinese administrative reports write them.

const LOCALE = 'zh-CN';

/** 12,345 */
export function count(n) {
  return Number(n).toLocaleString(LOCALE);
}

/** Money is integer fen (分) everywhere in the registry: 1,234,567.89 元. */
export function yuan(fen) {
  return `${(fen / 100).toLocaleString(LOCALE, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })} 元`;
}

/** For chart axes: 万元 with at most one decimal. */
export function wanYuan(fen) {
  return `${(fen / 1_000_000).toLocaleString(LOCALE, { maximumFractionDigits: 1 })}万元`;
}

/** An average per community, with at most two decimals: 0.34 */
export function average(x) {
  return Number(x).toLocaleString(LOCALE, { maximumFractionDigits: 2 });
}

/** A ratio as a percentage: 42.5% */
export function percent(ratio) {
  return Number(ratio).toLocaleString(LOCALE, { style: 'percent', maximumFractionDigits: 1 });
}

/** YYYY-MM → 2025年6月 */
export function month(yyyyMm) {
  const [y, m] = yyyyMm.split('-');
  return `${y}年${Number(m)}月`;
}

/** YYYY → 2025年 */
export function year(yyyy) {
  return `${yyyy}年`;
}

/** A moment in Shanghai time: 2026年11月27日 14:03 */
export function moment(date) {
  return new Intl.DateTimeFormat(LOCALE, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(date);
}
