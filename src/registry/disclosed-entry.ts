/** The registry's oversight fields as the public sees them on one day (the query's date). */

export interface DisclosedGrade {
  readonly grade: string;
  readonly validUntil: string;
}

/**
 * The formal grade while it is valid on `today`, else null. The read model keeps the latest
 * grade whatever its date; lapsing is decided here, by the day asked, so a rebuild of the
 * read model on any day stores the same entry.
 */
export function currentGrade(entry: Record<string, unknown>, today: string): DisclosedGrade | null {
  const grade = entry['grade'] as DisclosedGrade | null | undefined;
  return grade && grade.validUntil >= today ? grade : null;
}

/** One public entry on `today`: the grade only while valid; absent oversight fields as null. */
export function disclosedOn(
  entry: Record<string, unknown>,
  today: string,
): Record<string, unknown> {
  return {
    ...entry,
    annualReport: entry['annualReport'] ?? null,
    grade: currentGrade(entry, today),
    abnormal: entry['abnormal'] ?? null,
  };
}
