// Supervisor: create a campaign or edit its config; the API's field errors shown at each field.
import { api, ApiError } from './api.js';
import { h, clear, field, select } from './dom.js';

const MODES = ['PREVIEW', 'PROGRESSIVE', 'POWER', 'PREDICTIVE', 'AGENTLESS'];
const WINDOWS = ['US_30_DAY', 'UK_24H', 'BOTH'];
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/** [field path in the config (as the API names it), label, input type, hint] */
const NUMBERS = [
  ['pacing.targetAbandonPercent', 'Target abandon %', '0–3', 0.1],
  ['pacing.maxLinesPerAgent', 'Max lines per agent', '≥ 1', 1],
  ['pacing.powerRatio', 'Power ratio', '1 – max lines', 0.1],
  ['pacing.minReadyAgents', 'Min ready agents', 'predictive needs this many', 1],
  ['ringTimeoutSeconds', 'Ring timeout (s)', '≥ 15', 1],
  ['connectDeadlineMs', 'Connect deadline (ms)', 'abandon after', 100],
  ['wrapUpTimeoutSeconds', 'Wrap-up timeout (s)', '', 1],
  ['previewTimeoutSeconds', 'Preview timeout (s)', 'PREVIEW: 5–600', 1],
];

/** AGENTLESS (voice broadcast) settings: [path, label, hint, step or null for text]. */
const AGENTLESS = [
  ['agentless.message', 'Message (sound file)', 'played to every answer', null],
  ['agentless.callsPerSecond', 'Calls per second', 'trunk cap', 0.1],
  ['agentless.maxConcurrentCalls', 'Max concurrent calls', '≥ 1', 1],
  ['agentless.transferKey', 'Key for an agent', 'default 1', null],
  ['agentless.optOutKey', 'Key to opt out', 'default 9', null],
];

function inputId(path) {
  return `cfg-${path.replace(/[.\[\]]/g, '-')}`;
}

function get(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function set(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  keys.slice(0, -1).forEach(k => { o = o[k] = o[k] || {}; });
  o[keys[keys.length - 1]] = value;
}

export function campaignForm(main, campaignId) {
  const editing = !!campaignId;
  const formError = h('div', { id: 'form-error', class: 'error', role: 'alert', tabindex: '-1' });
  const inputs = {};
  const form = h('form', { id: 'campaign-form', class: 'card', novalidate: true });

  function input(path, attrs) {
    const el = h('input', { id: inputId(path), name: path, 'data-field': path, ...attrs });
    inputs[path] = el;
    return el;
  }

  function build(view) {
    const c = view?.config || {};
    const window = c.callingWindow || {};
    const firstDay = Object.values(window)[0] || { start: '08:00', end: '21:00' };
    const mode = select(inputId('pacing.mode'), MODES, c.pacing?.mode || 'PROGRESSIVE', { 'data-field': 'pacing.mode' });
    const abandonWindow = select(inputId('pacing.abandonWindow'), WINDOWS, c.pacing?.abandonWindow || 'US_30_DAY', { 'data-field': 'pacing.abandonWindow' });
    inputs['pacing.mode'] = mode;
    inputs['pacing.abandonWindow'] = abandonWindow;
    const amd = h('input', { id: 'cfg-amd', type: 'checkbox', checked: !!c.amd?.enabled, 'data-field': 'amd.enabled' });
    inputs['amd.enabled'] = amd;
    const leave = h('input', { id: 'cfg-leave-message', type: 'checkbox', checked: c.amd?.machineReaction === 'LEAVE_MESSAGE', 'data-field': 'amd.machineReaction' });
    inputs['amd.machineReaction'] = leave;
    clear(form,
      h('h1', {}, editing ? `Edit ${view.name}` : 'New campaign'),
      formError,
      h('fieldset', {}, h('legend', {}, 'Campaign'),
        editing ? null : field('Id (optional)', input('id', { pattern: '[A-Za-z0-9][A-Za-z0-9_.-]*' }), 'letters, digits, - _ .'),
        editing ? null : field('Name', input('name', { required: true })),
        field('Dial string template', input('dialStringTemplate', { required: true, value: c.dialStringTemplate || 'PJSIP/{number}@carrier' }), 'must contain {number}'),
        field('Caller ID', input('callerId', { required: true, value: c.callerId || '' })),
        field('Assigned agents', input('assignedAgents', { value: (c.assignedAgents || []).join(', ') }), 'agent ids, comma-separated')),
      h('fieldset', {}, h('legend', {}, 'Pacing'),
        field('Dial mode', mode), field('Abandon window', abandonWindow),
        NUMBERS.slice(0, 4).map(([path, label, hint, step]) =>
          field(label, input(path, { type: 'number', step, value: get(c, path) ?? '' }), hint))),
      h('fieldset', {}, h('legend', {}, 'Calls'),
        NUMBERS.slice(4).map(([path, label, hint, step]) =>
          field(label, input(path, { type: 'number', step, value: get(c, path) ?? '' }), hint)),
        h('div', { class: 'field' }, h('label', { for: 'cfg-amd' }, amd, ' Answering-machine detection')),
        field('Calling window: every day from', input('window.start', { type: 'time', value: firstDay.start }), 'the callee\'s local time'),
        field('until', input('window.end', { type: 'time', value: firstDay.end }))),
      h('fieldset', { id: 'agentless-settings' }, h('legend', {}, 'Agentless (voice broadcast, dial mode AGENTLESS)'),
        AGENTLESS.map(([path, label, hint, step]) =>
          field(label, input(path, step ? { type: 'number', step, value: get(c, path) ?? '' } : { value: get(c, path) ?? '' }), hint)),
        h('div', { class: 'field' }, h('label', { for: 'cfg-leave-message' }, leave, ' Leave the message on answering machines (needs AMD)'))),
      h('div', { class: 'controls' },
        h('button', { id: 'campaign-save', type: 'submit', class: 'primary' }, editing ? 'Save config' : 'Create campaign'),
        h('a', { class: 'button', href: editing ? `#/campaign/${encodeURIComponent(campaignId)}` : '#/campaigns' }, 'Cancel')));
  }

  function config() {
    const c = {};
    for (const path of ['dialStringTemplate', 'callerId', 'pacing.mode', 'pacing.abandonWindow']) set(c, path, inputs[path].value.trim());
    for (const [path] of NUMBERS) {
      const v = inputs[path].value.trim();
      if (v !== '') set(c, path, Number(v));
    }
    c.amd = { enabled: inputs['amd.enabled'].checked, machineReaction: inputs['amd.machineReaction'].checked ? 'LEAVE_MESSAGE' : 'HANG_UP' };
    if (c.pacing.mode === 'AGENTLESS') {
      c.agentless = {};
      for (const [path, , , step] of AGENTLESS) {
        const v = inputs[path].value.trim();
        if (v !== '') set(c, path, step ? Number(v) : v);
      }
    }
    c.assignedAgents = inputs.assignedAgents.value.split(',').map(s => s.trim()).filter(Boolean);
    const start = inputs['window.start'].value, end = inputs['window.end'].value;
    if (start && end) c.callingWindow = Object.fromEntries(DAYS.map(d => [d, { start, end }]));
    return c;
  }

  function showErrors(err) {
    form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field-error').forEach(el => { el.textContent = ''; });
    const unplaced = [];
    for (const e of err.errors) {
      const path = e.field.replace(/^config\./, '').replace(/^callingWindow\..*/, 'window.start');
      const el = inputs[path] || inputs[path.split('[')[0]];
      if (el) {
        el.setAttribute('aria-invalid', 'true');
        const slot = document.getElementById(`${el.id}-error`);
        if (slot) slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : e.message;
      } else {
        unplaced.push(`${e.field}: ${e.message}`);
      }
    }
    clear(formError, err.message, unplaced.length ? h('ul', {}, unplaced.map(t => h('li', {}, t))) : null);
    (form.querySelector('[aria-invalid]') || formError).focus?.();
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    clear(formError);
    try {
      if (editing) {
        await api('PUT', `/api/campaigns/${encodeURIComponent(campaignId)}/config`, config());
        location.hash = `#/campaign/${encodeURIComponent(campaignId)}`;
      } else {
        const body = { name: inputs.name.value.trim(), config: config() };
        if (inputs.id.value.trim()) body.id = inputs.id.value.trim();
        const created = await api('POST', '/api/campaigns', body);
        location.hash = `#/campaign/${encodeURIComponent(created.id)}`;
      }
    } catch (err) {
      if (err instanceof ApiError) showErrors(err);
      else clear(formError, err.message);
    }
  });

  clear(main, form);
  if (editing) {
    api('GET', `/api/campaigns/${encodeURIComponent(campaignId)}`)
      .then(build).catch(e => clear(main, h('p', { class: 'error', role: 'alert' }, e.message)));
  } else {
    build(null);
    inputs.name.focus();
  }
  return { dispose() {} };
}
