// The test page's script, bundled by esbuild from node_modules (no CDN): mounts the real <Inbox />
// of @novu/js/ui 3.12.0 with the local runtime's URLs read from the page's query string.
import { NovuUI } from 'novu-js-3.12.0/ui';

const params = new URLSearchParams(window.location.search);
const backendUrl = params.get('backendUrl');
const socketUrl = params.get('socketUrl');
const ui = new NovuUI({
  options: { applicationIdentifier: 'app', subscriberId: params.get('subscriber') || 'sub-1', backendUrl, socketUrl },
});
ui.mountComponent({ name: 'Inbox', element: document.getElementById('inbox'), props: { open: true } });
// A second bell of the same client that writes the unread count it is given, for the test to read.
ui.mountComponent({
  name: 'Bell',
  element: document.getElementById('count'),
  props: {
    renderBell: (el, unreadCount) => {
      el.textContent = `unread: ${unreadCount.total}`;
      el.setAttribute('data-unread', String(unreadCount.total));
      return () => {};
    },
  },
});
window.novuUI = ui;
