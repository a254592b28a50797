// An agent's output or log, fetched when opened, with line numbers, Copy and the raw file. While the agent
// runs and the section is open it follows the file (only the new bytes are asked for, with a Range header).
import { h } from './dom.js';

const FOLLOW_MS = 1000;
const MAX_LINES = 5000; // drawn; the raw file has everything

export function logView(key, label, url) {
  const lines = h('ol', { class: `text lines text-${key}`, tabindex: '0', 'aria-label': label });
  const note = h('p', { class: 'hint log-note', hidden: true });
  const copy = h('button', { type: 'button', class: 'btn btn-quiet btn-small', onclick: onCopy }, 'Copy');
  const raw = h('a', { class: 'btn btn-quiet btn-small', href: url, target: '_blank', rel: 'noopener', download: `${key}.txt` }, 'Raw');
  const details = h('details', { class: `lazy lazy-${key}`, ontoggle: () => { if (details.open) load(); else stop(); } },
    h('summary', {}, label), h('div', { class: 'lazy-body' }, lines, note, h('div', { class: 'log-tools' }, copy, raw)));
  let text = '';
  let decoder = new TextDecoder();
  let bytes = 0;     // how much of the file is drawn (for the next Range request)
  let running = false;
  let timer = 0;
  let loading = false;

  async function load(fresh = true) {
    clearTimeout(timer);
    if (loading) return;
    loading = true;
    try {
      if (fresh) bytes = 0;
      const more = await fetchFrom(url, bytes);
      if (more === null) { text = ''; bytes = 0; showPlaceholder('nothing yet'); }
      else {
        if (more.restart) { text = ''; bytes = 0; decoder = new TextDecoder(); }
        // A range may end inside a character: the decoder keeps the partial bytes for the next read.
        text += decoder.decode(more.buffer, { stream: true });
        bytes += more.buffer.byteLength;
        draw(more.restart);
      }
    } catch (e) {
      showPlaceholder(e.message);
    }
    loading = false;
    if (running && details.open) timer = setTimeout(() => load(false), FOLLOW_MS);
  }

  function draw(all) {
    if (text === '') { showPlaceholder('(empty)'); return; }
    lines.classList.remove('placeholder');
    const parts = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    const shown = parts.length > MAX_LINES ? parts.slice(parts.length - MAX_LINES) : parts;
    const first = parts.length - shown.length + 1;
    note.hidden = first === 1;
    note.textContent = `Showing the last ${MAX_LINES} lines; Raw has all ${parts.length}.`;
    const atBottom = lines.scrollTop + lines.clientHeight >= lines.scrollHeight - 4;
    if (all || lines.querySelector('.placeholder-line') || first !== Number(lines.dataset.first || 1)) lines.replaceChildren();
    lines.dataset.first = String(first);
    lines.style.setProperty('--skipped', String(first - 1)); // the line numbers (a CSS counter) start there
    // Redraw the last line (it may have grown), then add the new ones: untrusted text, as text nodes only.
    const have = lines.children.length;
    if (have > 0) lines.lastElementChild.remove();
    for (let i = Math.max(0, have - 1); i < shown.length; i++) lines.append(h('li', {}, shown[i]));
    if (atBottom && running) lines.scrollTop = lines.scrollHeight;
  }

  function showPlaceholder(message) {
    lines.classList.add('placeholder');
    lines.replaceChildren(h('li', { class: 'placeholder-line' }, message));
  }

  async function onCopy() {
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = 'Copied';
    } catch {
      copy.textContent = 'Copy failed';
    }
    setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
  }

  function stop() { clearTimeout(timer); }

  return {
    el: details,
    /** The agent moved on: read again if open; follow while it runs. */
    update(agentRunning, changed) {
      const was = running;
      running = agentRunning;
      if (details.open && (changed || (running && !was))) load(changed);
    },
    stop,
  };
}

/** The file from byte `from` on: { buffer, restart } (restart: the server sent the whole file), or null when there is none yet. */
async function fetchFrom(url, from) {
  const headers = { Accept: 'text/plain' };
  if (from > 0) headers.Range = `bytes=${from}-`;
  let response;
  try {
    response = await fetch(url, { headers, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new Error('the server cannot be reached; check your connection');
  }
  if (response.status === 416) return { buffer: new ArrayBuffer(0), restart: false }; // nothing new
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  // 206: just the new bytes. 200: the whole file (the first read, or a masked file, which is served whole).
  return { buffer: await response.arrayBuffer(), restart: response.status === 200 };
}
