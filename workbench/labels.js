// The registry's vocabularies (GET /workbench/labels.json, from the server's own label tables):
// Chinese for reading, the English code beside it as the API and the policy documents use it.

let vocabularies = {};

export async function loadLabels() {
  const response = await fetch('/workbench/labels.json');
  vocabularies = await response.json();
}

/** The Chinese label of a code (the code itself when unknown). */
export function label(vocabulary, code) {
  return vocabularies[vocabulary]?.find((entry) => entry.code === code)?.label ?? code;
}

/** Select options: `公益慈善类 charity`. `only` keeps the codes listed. */
export function options(vocabulary, only) {
  return (vocabularies[vocabulary] ?? [])
    .filter((entry) => !only || only.includes(entry.code))
    .map((entry) => ({ code: entry.code, label: `${entry.label} ${entry.code}` }));
}
