/**
 * DOMAIN.md §3: a name is unique among the live organizations of the same district. Each
 * (district, normalized name) has a reservation stream.
 */
import {
  nameReservationDecider,
  nameReservationStream,
  type NameReservationCommand,
  type NameReservationEvent,
} from '../../src/organizations/domain/name-reservation.decider.js';
import { spec } from '../support/decider-spec.js';

const given = spec(nameReservationDecider).given;
const NAME = '天平路街道夕阳红舞蹈队';
const XUHUI = '310104';

const reserve = (organizationId: string, holderIsLive = true): NameReservationCommand => ({
  type: 'ReserveName',
  districtCode: XUHUI,
  name: NAME,
  organizationId,
  holderIsLive,
});
const release = (organizationId: string): NameReservationCommand => ({
  type: 'ReleaseName',
  districtCode: XUHUI,
  name: NAME,
  organizationId,
});
const reserved = (organizationId: string): NameReservationEvent => ({
  type: 'OrganizationNameReserved',
  data: { districtCode: XUHUI, name: NAME, organizationId },
});
const released = (organizationId: string): NameReservationEvent => ({
  type: 'OrganizationNameReleased',
  data: { districtCode: XUHUI, name: NAME, organizationId },
});

describe('name reservation: unique among live organizations of a district', () => {
  it('a free name is reserved (OrganizationNameReserved)', () => {
    given([])
      .when(reserve('org-a'))
      .then([reserved('org-a')]);
  });

  it('reserving again for the same organization changes nothing (idempotent retry)', () => {
    given([reserved('org-a')])
      .when(reserve('org-a'))
      .thenNothing();
  });

  it('a name held by a live organization is refused (name-taken)', () => {
    given([reserved('org-a')])
      .when(reserve('org-b', true))
      .thenThrows({ kind: 'rule', rule: 'name-taken', field: 'name' });
  });

  it('a name held by an organization that is no longer live is taken over', () => {
    given([reserved('org-a')])
      .when(reserve('org-b', false))
      .then([reserved('org-b')]);
  });

  it('a released name is free again', () => {
    given([reserved('org-a'), released('org-a')])
      .when(reserve('org-b'))
      .then([reserved('org-b')]);
  });

  it('the holder releases its name (OrganizationNameReleased)', () => {
    given([reserved('org-a')])
      .when(release('org-a'))
      .then([released('org-a')]);
  });

  it('only the holder releases: anyone else changes nothing', () => {
    given([reserved('org-a')])
      .when(release('org-b'))
      .thenNothing();
    given([]).when(release('org-a')).thenNothing();
  });

  it('evolve keeps the holder', () => {
    const { state } = given([reserved('org-a'), released('org-a'), reserved('org-c')]);
    expect(state).toEqual({ holder: 'org-c' });
    expect(given([reserved('org-a'), released('org-a')]).state).toEqual({});
  });
});

describe('nameReservationStream: one stream per district and normalized name', () => {
  it('is the same for names that differ only in spaces or full-width forms', () => {
    expect(nameReservationStream(XUHUI, '天平路 夕阳红 舞蹈队')).toBe(
      nameReservationStream(XUHUI, '天平路夕阳红舞蹈队'),
    );
    expect(nameReservationStream(XUHUI, 'ＡＢＣ舞蹈队')).toBe(
      nameReservationStream(XUHUI, 'ABC舞蹈队'),
    );
  });

  it('differs between districts and between names', () => {
    expect(nameReservationStream(XUHUI, NAME)).not.toBe(nameReservationStream('310115', NAME));
    expect(nameReservationStream(XUHUI, NAME)).not.toBe(
      nameReservationStream(XUHUI, '天平路街道朝阳红舞蹈队'),
    );
  });

  it('names the district and a fixed-length digest', () => {
    expect(nameReservationStream(XUHUI, NAME)).toMatch(/^organization-name-310104-[0-9a-f]{32}$/);
  });
});
