// The supervisor's agent board: each agent's state and time in state, ticking.
import { h, clear } from './dom.js';
import { since } from './format.js';

export function agentBoard() {
  const body = h('tbody', {});
  let agents = [];
  const element = h('section', { class: 'card', 'aria-labelledby': 'board-title' },
    h('h2', { id: 'board-title' }, 'Agents'),
    h('div', { class: 'scroll' }, h('table', { id: 'agent-board', class: 'data' },
      h('thead', {}, h('tr', {}, ['Agent', 'State', 'Time in state', 'Call'].map(t => h('th', { scope: 'col' }, t)))),
      body)));

  function render() {
    clear(body, agents.length === 0
      ? h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No agents assigned.'))
      : agents.map(a => h('tr', { 'data-agent': a.id },
        h('td', {}, a.name || a.id),
        h('td', {}, h('span', { class: 'badge', 'data-status': a.state }, a.state + (a.pauseReason ? ` (${a.pauseReason})` : ''))),
        h('td', { class: 'timer' }, since(a.since)),
        h('td', {}, a.call ? a.call.leadId : '–'))));
  }

  return {
    element,
    update(list) { agents = list || []; render(); },
    tick: render,
  };
}
