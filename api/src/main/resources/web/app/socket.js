// A WebSocket that reconnects with exponential backoff and says so in the banner.
import { session } from './api.js';
import { showBanner, hideBanner } from './banner.js';

let counter = 0;

/**
 * live('/api/agents/a-1/ws', {onMessage, onOpen}) -> {send, close}. The token goes as
 * ?access_token= because browsers cannot set headers on a WebSocket handshake.
 */
export function live(path, { onMessage, onOpen, onStatus } = {}) {
  const owner = `ws-${++counter}`;
  let ws = null;
  let closed = false;
  let delay = 1000;
  let timer = null;

  function url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const sep = path.includes('?') ? '&' : '?';
    return `${scheme}://${location.host}${path}${sep}access_token=${encodeURIComponent(session.token() || '')}`;
  }

  function connect() {
    ws = new WebSocket(url());
    ws.onopen = () => {
      delay = 1000;
      hideBanner(owner);
      onStatus?.('open');
      onOpen?.();
    };
    ws.onmessage = e => {
      try { onMessage?.(JSON.parse(e.data)); } catch (err) { console.error(err); }
    };
    ws.onclose = () => {
      onStatus?.('closed');
      if (closed) return;
      const seconds = Math.round(delay / 1000);
      showBanner(`Connection to the dialer node lost. Reconnecting in ${seconds} s…`, owner);
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }

  connect();
  return {
    send(obj) {
      if (ws && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify(obj));
        return true;
      }
      return false;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      hideBanner(owner);
      ws?.close();
    },
  };
}
