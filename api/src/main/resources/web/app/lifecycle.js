// Start / pause / resume / finish buttons for a campaign in a given status.
import { api } from './api.js';
import { h } from './dom.js';

const ACTIONS = {
  DRAFT: [['start', 'Start']],
  ACTIVE: [['pause', 'Pause'], ['finish', 'Finish']],
  PAUSED: [['resume', 'Resume'], ['finish', 'Finish']],
  FINISHED: [],
};

export function lifecycleButtons(id, status, done, onError, withIds = false) {
  return (ACTIONS[status] || []).map(([action, label]) =>
    h('button', {
      class: action === 'finish' ? 'danger' : '',
      'data-action': action,
      id: withIds ? `btn-${action}` : null,
      'aria-label': withIds ? null : `${label} ${id}`,
      onclick: async () => {
        if (action === 'finish' && !confirm(`Finish campaign ${id}? This cannot be undone.`)) return;
        try {
          const body = action === 'pause' || action === 'finish' ? { reason: 'from the console' } : undefined;
          await api('POST', `/api/campaigns/${encodeURIComponent(id)}/${action}`, body);
          done();
        } catch (e) {
          onError(`${label} refused: ${e.message}`);
        }
      },
    }, label));
}
