// The "node unreachable" banner, shared by REST calls and WebSockets.
const owners = new Set();

export function showBanner(text, owner = 'http') {
  owners.add(owner);
  const b = document.getElementById('banner');
  if (!b) return;
  b.textContent = text;
  b.hidden = false;
}

export function hideBanner(owner = 'http') {
  owners.delete(owner);
  const b = document.getElementById('banner');
  if (b && owners.size === 0) b.hidden = true;
}
