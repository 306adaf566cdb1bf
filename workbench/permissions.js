// What the signed-in official may do with an organization, as the registry's rules say it
// (DOMAIN §1, §4): the page offers only these forms. The server decides all the same — a form
// shown by mistake is refused (403) — so this only keeps the page from offering the impossible.

const CITY = '310000';

/** The level that manages an organization of its tier: its committee, street or district. */
export function managingLevel(org) {
  switch (org.tier) {
    case 'registered':
      return org.legalForm === 'community-foundation'
        ? { role: 'city', jurisdiction: CITY }
        : { role: 'district', jurisdiction: org.district.code };
    case 'team':
      return { role: 'street', jurisdiction: org.street.code };
    default:
      return { role: 'committee', jurisdiction: org.community?.code };
  }
}

export function manages(user, org) {
  const level = managingLevel(org);
  return user.role === level.role && user.jurisdiction === level.jurisdiction;
}

/** Whether the organization lies in the official's own place. */
export function within(user, org) {
  switch (user.role) {
    case 'city':
      return true;
    case 'district':
      return org.district.code === user.jurisdiction;
    case 'street':
      return org.street.code === user.jurisdiction;
    case 'committee':
      return org.community?.code === user.jurisdiction;
    default:
      return false;
  }
}

/** The levels that grant funding record it for organizations of their place (DOMAIN §4). */
export const grants = (user, org) =>
  ['city', 'district', 'street'].includes(user.role) && within(user, org);

/** The committee or the street records community appraisals (评议). */
export const appraises = (user, org) =>
  ['committee', 'street'].includes(user.role) && within(user, org);

/** Who receives an activity report of a level: that level of the report's own place. */
export function receives(user, report) {
  const receiver = {
    community: { role: 'committee', jurisdiction: report.communityCode },
    street: { role: 'street', jurisdiction: report.streetCode },
    district: { role: 'district', jurisdiction: report.districtCode },
  }[report.level];
  return receiver?.role === user.role && receiver.jurisdiction === user.jurisdiction;
}

/** The tier an official registers (records, files or registers) directly, if any. */
export function registersTier(user) {
  return { committee: 'group', street: 'team', district: 'registered' }[user.role];
}

/** Auditors read and verify; they never write (DOMAIN §1). */
export const writes = (user) => user.role !== 'auditor';
