// The agent workstation: state and timers, ready / pause / log out, over the agent's WebSocket.
import { h, clear, field, select, announce } from './dom.js';
import { live } from './socket.js';
import { duration, since } from './format.js';
import { callPanels } from './agent-call.js';

const PAUSE_REASONS = ['BREAK', 'LUNCH', 'TRAINING', 'MEETING', 'PERSONAL', 'TECHNICAL'];
const HEARTBEAT_MS = 20000;

export function agentScreen(main, agentId) {
  if (!agentId) {
    clear(main, h('p', { class: 'error' }, 'This account is not linked to an agent.'));
    return { dispose() {} };
  }
  let state = null;

  const badge = h('span', { id: 'agent-state', class: 'badge' }, '…');
  const timer = h('span', { id: 'state-timer', class: 'timer', 'aria-label': 'time in state' }, '00:00');
  const sessionLine = h('p', { id: 'session-times', class: 'muted' });
  const error = h('p', { id: 'agent-error', class: 'error', role: 'alert' });
  const reason = select('pause-reason', PAUSE_REASONS, 'BREAK');
  const buttons = {
    login: h('button', { id: 'btn-login', class: 'primary', onclick: () => send({ type: 'login' }) }, 'Log in'),
    ready: h('button', { id: 'btn-ready', class: 'primary', onclick: () => send({ type: 'ready' }) }, 'Ready'),
    pause: h('button', { id: 'btn-pause', onclick: () => send({ type: 'pause', reason: reason.value }) }, 'Pause'),
    logout: h('button', { id: 'btn-logout', onclick: () => send({ type: 'logout' }) }, 'Log out'),
  };
  // Nothing can be sent before the socket is up and the agent's state is known.
  Object.values(buttons).forEach(b => { b.disabled = true; });
  reason.disabled = true;
  const panels = callPanels({ send: msg => send(msg), onError: text => { error.textContent = text; } });

  clear(main,
    h('section', { class: 'card agent-bar', 'aria-label': 'Agent state' },
      h('div', {}, h('h1', {}, `Agent ${agentId}`), sessionLine),
      h('div', { class: 'state' }, badge, timer),
      h('div', { class: 'controls' }, buttons.login, buttons.ready,
        h('span', { class: 'inline-field' }, h('label', { for: 'pause-reason' }, 'Pause reason'), reason),
        buttons.pause, buttons.logout)),
    error,
    panels.element);

  function send(msg) {
    error.textContent = '';
    if (!socket.send(msg)) error.textContent = 'Not connected to the dialer node; your action was not sent.';
  }

  function render() {
    if (!state) return;
    badge.textContent = state.status.replace('_', ' ') + (state.pauseReason ? ` (${state.pauseReason})` : '');
    badge.dataset.status = state.status;
    const s = state.status;
    buttons.login.disabled = s !== 'LOGGED_OUT';
    buttons.ready.disabled = s !== 'PAUSED';
    buttons.pause.disabled = s === 'LOGGED_OUT' || s === 'PAUSED';
    buttons.logout.disabled = !(s === 'READY' || s === 'PAUSED');
    reason.disabled = buttons.pause.disabled;
    const se = state.session;
    sessionLine.textContent = se
      ? `Session ${duration(se.loggedInSeconds)} · ready ${duration(se.readySeconds)} · talk ${duration(se.talkSeconds)}`
        + ` · wrap-up ${duration(se.wrapUpSeconds)} · paused ${duration(se.pausedSeconds)}`
        + (state.pauseAfterCall ? ` · pause (${state.pauseAfterCall}) after this call` : '')
      : 'Not logged in';
  }

  function tick() {
    if (state) timer.textContent = since(state.since);
    panels.tick();
  }

  const socket = live(`/api/agents/${encodeURIComponent(agentId)}/ws`, {
    onStatus(status) {
      if (status === 'closed') {
        Object.values(buttons).forEach(b => { b.disabled = true; });
        reason.disabled = true;
      }
    },
    onMessage(msg) {
      switch (msg.type) {
        case 'state': {
          const changed = !state || state.status !== msg.status;
          state = msg;
          render();
          if (changed) announce(`You are ${msg.status.replace('_', ' ').toLowerCase()}`);
          panels.onState(msg);
          break;
        }
        case 'error':
          error.textContent = `${msg.command || 'message'} refused: ${msg.detail}`
            + (msg.errors?.length ? ` (${msg.errors.map(e => `${e.field}: ${e.message}`).join('; ')})` : '');
          break;
        default:
          panels.onMessage(msg);
      }
    },
  });
  const heartbeat = setInterval(() => socket.send({ type: 'heartbeat' }), HEARTBEAT_MS);
  const clock = setInterval(tick, 1000);
  return {
    dispose() {
      clearInterval(heartbeat);
      clearInterval(clock);
      socket.close();
    },
  };
}
