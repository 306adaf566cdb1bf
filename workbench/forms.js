// One form = one command. Each submission gets its own Idempotency-Key (a retry after a lost
// answer writes nothing new); a command on an organization sends its ETag as If-Match, so a
// form filled in on a state that has since moved on is refused (409) instead of overwriting it.
// The server's problems are shown next to the fields they name.

import { el } from '/dashboard/dom.js';
import { call, Refusal } from './api.js';

/** Today in Shanghai, as YYYY-MM-DD: the default of every business date. */
export function today() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/**
 * 元 as typed → integer fen, without floating-point arithmetic. More than two decimals are sent
 * as they are (a fraction of a fen), so the server says what is wrong with the amount.
 */
export function yuanToFen(text) {
  const match = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(text);
  if (!match) return text;
  const [, whole, fraction = ''] = match;
  const fen = `${whole}${fraction.padEnd(2, '0').slice(0, 2)}`;
  return Number(fraction.length > 2 ? `${fen}.${fraction.slice(2)}` : fen);
}

/** `founders[0].name` → body.founders[0].name = value. */
function setPath(body, path, value) {
  const keys = path.split(/[.[\]]+/).filter((k) => k !== '');
  let node = body;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key];
  });
}

/** A field's value as the API takes it; undefined leaves an empty optional field out. */
function valueOf(field, text) {
  if (field.type === 'fixed') return field.value;
  if (text === '') return undefined;
  if (field.type === 'integer') return /^-?\d+$/.test(text.trim()) ? Number(text) : text;
  if (field.type === 'yuan') return yuanToFen(text);
  return text;
}

function input(field) {
  const common = { name: field.name, id: `f-${field.form}-${field.name}` };
  if (field.type === 'select') {
    return el(
      'select',
      common,
      ...(field.required ? [] : [el('option', { value: '' }, '—')]),
      ...field.options.map((o) =>
        el('option', { value: o.code, ...(o.code === field.value && { selected: '' }) }, o.label),
      ),
    );
  }
  if (field.type === 'textarea') return el('textarea', { ...common, rows: 2 }, field.value ?? '');
  return el('input', {
    ...common,
    type: field.type === 'date' ? 'date' : 'text',
    inputmode: ['integer', 'yuan'].includes(field.type) ? 'decimal' : undefined,
    value: field.value,
    placeholder: field.placeholder,
  });
}

/**
 * A form for `spec`: `{ id, title, method, path, fields, ifMatch?, onDone, onStale }`. A field is
 * `{ name (the API's field path), label, type, options?, value?, required?, hint? }`; type
 * `fixed` sends its value without showing a field.
 */
export function commandForm(spec) {
  const fields = spec.fields.map((f) => ({ ...f, form: spec.id }));
  const shown = fields.filter((f) => f.type !== 'fixed');
  const status = el('p', { class: 'form-status', 'data-form-status': '', role: 'status' });
  const button = el('button', { type: 'submit' }, '提交');
  const form = el(
    'form',
    { class: 'command', 'data-form': spec.id, novalidate: '' },
    ...shown.map((f) =>
      el(
        'label',
        { class: 'field', 'data-field': f.name },
        el('span', {}, f.label, f.required ? el('b', { class: 'required' }, ' *') : null),
        input(f),
        f.hint ? el('small', { class: 'hint' }, f.hint) : null,
        el('small', { class: 'field-error', 'data-error-for': f.name }),
      ),
    ),
    el('div', { class: 'form-actions' }, button, status),
  );
  // One key per submission: kept while an answer is lost (a retry is then the same request).
  let key = crypto.randomUUID();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });

  async function submit() {
    for (const error of form.querySelectorAll('[data-error-for]')) error.textContent = '';
    status.textContent = '正在提交…';
    status.dataset.state = 'busy';
    button.disabled = true;
    const body = {};
    const data = new FormData(form);
    for (const f of fields) {
      const value = valueOf(f, String(data.get(f.name) ?? ''));
      if (value !== undefined) setPath(body, f.name, value);
    }
    try {
      const answer = await call(spec.method, spec.path, {
        body,
        ifMatch: spec.ifMatch,
        idempotencyKey: key,
      });
      key = crypto.randomUUID();
      status.textContent = '已办理';
      status.dataset.state = 'done';
      spec.onDone(answer);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      if (error.status !== 0) key = crypto.randomUUID();
      status.dataset.state = 'refused';
      if (error.status === 409 && spec.ifMatch) {
        status.textContent = '该组织已有新的变更，表单未提交，已重新载入最新状态';
        spec.onStale(status.textContent);
        return;
      }
      showProblems(form, status, error);
    } finally {
      button.disabled = false;
    }
  }
  return form;
}

/** Each field error beside its field; what names no field of the form, above the button. */
function showProblems(form, status, error) {
  const unplaced = [];
  for (const { field, message } of error.fieldErrors) {
    const slot = [...form.querySelectorAll('[data-error-for]')].find(
      (s) => s.dataset.errorFor === field,
    );
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent}；${message}` : message;
    else unplaced.push(`${field}：${message}`);
  }
  const placed = error.fieldErrors.length - unplaced.length;
  status.textContent =
    placed > 0 && unplaced.length === 0
      ? '请按提示修改后再提交'
      : [error.message, ...unplaced].join('；');
}
