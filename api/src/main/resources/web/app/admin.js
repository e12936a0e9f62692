// Admin: agents (list, create with a login, edit) and user accounts (create, look up, role, disable).
import { api, ApiError } from './api.js';
import { h, clear, field, select } from './dom.js';
import { since } from './format.js';

function errorsText(err) {
  return err instanceof ApiError && err.errors.length
    ? `${err.message}: ${err.errors.map(e => `${e.field} ${e.message}`).join('; ')}` : err.message;
}

function agentsSection() {
  const body = h('tbody', {});
  const status = h('p', { id: 'agents-status', role: 'status' });
  const inputs = {
    id: h('input', { id: 'agent-id', required: true }),
    displayName: h('input', { id: 'agent-name', required: true }),
    phoneEndpoint: h('input', { id: 'agent-endpoint', required: true, placeholder: 'PJSIP/1001' }),
    campaigns: h('input', { id: 'agent-campaigns', placeholder: 'campaign ids, comma-separated' }),
    username: h('input', { id: 'agent-username', autocomplete: 'off' }),
    password: h('input', { id: 'agent-password', type: 'password', autocomplete: 'new-password' }),
  };
  let editing = null;
  const submit = h('button', { id: 'agent-save', type: 'submit', class: 'primary' }, 'Create agent');
  const form = h('form', { id: 'agent-form', class: 'grid-form' },
    field('Agent id', inputs.id), field('Display name', inputs.displayName),
    field('Phone endpoint', inputs.phoneEndpoint), field('Campaigns', inputs.campaigns),
    field('Login username (optional)', inputs.username), field('Login password', inputs.password, '10+ characters'),
    h('div', { class: 'controls' }, submit,
      h('button', { type: 'button', onclick: () => reset() }, 'Clear')));

  function reset() {
    editing = null;
    Object.values(inputs).forEach(i => { i.value = ''; i.disabled = false; });
    submit.textContent = 'Create agent';
  }

  function edit(a) {
    editing = a.id;
    inputs.id.value = a.id;
    inputs.id.disabled = true;
    inputs.displayName.value = a.displayName;
    inputs.phoneEndpoint.value = a.phoneEndpoint;
    inputs.campaigns.value = (a.campaigns || []).join(', ');
    inputs.username.disabled = inputs.password.disabled = true;
    submit.textContent = `Save ${a.id}`;
    inputs.displayName.focus();
  }

  async function load() {
    try {
      const page = await api('GET', '/api/agents?limit=500');
      clear(body, page.items.map(a => h('tr', { 'data-agent': a.id },
        h('td', {}, a.id), h('td', {}, a.displayName), h('td', {}, a.phoneEndpoint),
        h('td', {}, (a.campaigns || []).join(', ')),
        h('td', {}, h('span', { class: 'badge', 'data-status': a.status }, a.status), ' ', since(a.statusSince)),
        h('td', {}, h('button', { class: 'link', onclick: () => edit(a), 'aria-label': `Edit agent ${a.id}` }, 'Edit')))));
    } catch (e) {
      status.textContent = e.message;
    }
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    const campaigns = inputs.campaigns.value.split(',').map(s => s.trim()).filter(Boolean);
    try {
      if (editing) {
        await api('PATCH', `/api/agents/${encodeURIComponent(editing)}`, {
          displayName: inputs.displayName.value, phoneEndpoint: inputs.phoneEndpoint.value, campaigns,
        });
        status.textContent = `Agent ${editing} saved.`;
      } else {
        const body = {
          id: inputs.id.value.trim(), displayName: inputs.displayName.value,
          phoneEndpoint: inputs.phoneEndpoint.value, campaigns,
        };
        if (inputs.username.value) Object.assign(body, { username: inputs.username.value, password: inputs.password.value });
        await api('POST', '/api/agents', body);
        status.textContent = `Agent ${body.id} created.`;
      }
      reset();
      load();
    } catch (err) {
      status.textContent = errorsText(err);
    }
  });

  load();
  return h('section', { class: 'card', 'aria-labelledby': 'agents-title' },
    h('h2', { id: 'agents-title' }, 'Agents'), form, status,
    h('div', { class: 'scroll' }, h('table', { id: 'agents', class: 'data' },
      h('thead', {}, h('tr', {}, ['Id', 'Name', 'Endpoint', 'Campaigns', 'State', ''].map(t => h('th', { scope: 'col' }, t)))),
      body)));
}

function usersSection() {
  const status = h('p', { id: 'users-status', role: 'status' });
  const found = h('div', { id: 'user-found' });
  const u = {
    username: h('input', { id: 'user-username', required: true, autocomplete: 'off' }),
    password: h('input', { id: 'user-password', type: 'password', required: true, autocomplete: 'new-password' }),
    role: select('user-role', ['SUPERVISOR', 'ADMIN', 'AGENT'], 'SUPERVISOR'),
    agentId: h('input', { id: 'user-agent', placeholder: 'for AGENT accounts' }),
  };
  const create = h('form', { id: 'user-form', class: 'grid-form' },
    field('Username', u.username), field('Password', u.password, '10+ characters'),
    field('Role', u.role), field('Agent id', u.agentId),
    h('div', { class: 'controls' }, h('button', { type: 'submit', class: 'primary', id: 'user-create' }, 'Create user')));
  create.addEventListener('submit', async e => {
    e.preventDefault();
    try {
      await api('POST', '/api/users', {
        username: u.username.value.trim(), password: u.password.value, role: u.role.value,
        agentId: u.agentId.value.trim() || null,
      });
      status.textContent = `User ${u.username.value} created.`;
      show(u.username.value.trim());
    } catch (err) {
      status.textContent = errorsText(err);
    }
  });

  const lookup = h('input', { id: 'user-lookup' });
  const find = h('form', { class: 'inline-form' }, field('Find a user', lookup),
    h('button', { type: 'submit' }, 'Find'));
  find.addEventListener('submit', e => { e.preventDefault(); show(lookup.value.trim()); });

  async function show(name) {
    try {
      const user = await api('GET', `/api/users/${encodeURIComponent(name)}`);
      const toggle = user.enabled ? 'disable' : 'enable';
      clear(found, h('p', {},
        h('strong', {}, user.username), ` · ${user.role}${user.agentId ? ` · agent ${user.agentId}` : ''} · `,
        user.enabled ? 'active' : 'disabled', ' ',
        h('button', {
          onclick: async () => {
            try { await api('POST', `/api/users/${encodeURIComponent(name)}/${toggle}`); show(name); } catch (err) { status.textContent = errorsText(err); }
          },
        }, toggle === 'enable' ? 'Enable' : 'Disable')));
    } catch (err) {
      clear(found, h('p', { class: 'error' }, errorsText(err)));
    }
  }

  return h('section', { class: 'card', 'aria-labelledby': 'users-title' },
    h('h2', { id: 'users-title' }, 'Users'),
    h('p', { class: 'muted' }, 'Accounts are looked up by name (the API keeps no user listing).'),
    create, status, find, found);
}

export function adminScreen(main) {
  clear(main, h('h1', {}, 'Administration'), h('div', { class: 'columns' }, agentsSection(), usersSection()));
  return { dispose() {} };
}
