// The console's entry point: login, navigation by role, and a hash router (#/campaigns, ...).
import { api, session, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { agentScreen } from './agent.js';
import { campaignList } from './campaigns.js';
import { campaignForm } from './campaign-form.js';
import { campaignLive } from './campaign-live.js';
import { adminScreen } from './admin.js';

const main = document.getElementById('main');
let current = null; // the mounted screen: {dispose()}

function home(s) {
  return s?.role === 'AGENT' ? '#/agent' : '#/campaigns';
}

function nav(s) {
  const links = [];
  if (s) {
    if (s.role === 'AGENT') links.push(['#/agent', 'Workstation']);
    if (s.role !== 'AGENT') links.push(['#/campaigns', 'Campaigns']);
    if (s.role === 'ADMIN') links.push(['#/admin', 'Admin']);
  }
  clear(document.getElementById('nav'),
    links.map(([href, text]) => h('a', { href, 'aria-current': location.hash.startsWith(href) ? 'page' : null }, text)));
  clear(document.getElementById('who'),
    s ? [`${s.username} (${s.role.toLowerCase()})`, ' ',
      h('button', { id: 'btn-signout', class: 'link', onclick: signOut }, 'Sign out')] : []);
}

function signOut() {
  session.clear();
  location.hash = '#/login';
}

function loginScreen() {
  const user = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' });
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in'),
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, 'Username'), user),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), pass),
    error,
    h('button', { id: 'login-submit', type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    try {
      const login = await api('POST', '/api/auth/login', { username: user.value.trim(), password: pass.value });
      session.save(login);
      location.hash = home(login);
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 401
        ? 'Wrong username or password.' : err.message;
    }
  });
  clear(main, form);
  user.focus();
  return { dispose() {} };
}

function route() {
  current?.dispose?.();
  current = null;
  const s = session.get();
  nav(s);
  const hash = location.hash || '';
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (!s || parts[0] === 'login') {
    if (s && parts[0] === 'login') session.clear();
    nav(null);
    current = loginScreen();
    return;
  }
  switch (parts[0]) {
    case 'agent':
      current = agentScreen(main, parts[1] || s.agentId);
      break;
    case 'campaigns':
      current = parts[1] === 'new' ? campaignForm(main, null) : campaignList(main);
      break;
    case 'campaign':
      current = parts[2] === 'edit' ? campaignForm(main, parts[1]) : campaignLive(main, parts[1]);
      break;
    case 'admin':
      current = adminScreen(main);
      break;
    default:
      location.hash = home(s);
      return;
  }
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
route();
