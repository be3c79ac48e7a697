// Texts, newest first (GET /api/v1/messages).
import { Badge, ErrorBox, More, PageTitle, TableWrap, Time, html, useLive, usePagedList } from "../ui.js";

export function Texts() {
  const list = usePagedList("/api/v1/messages");
  useLive(["message."], list.refresh);
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Texts<//>
    <${ErrorBox} error=${list.error} />
    <${TableWrap} label="Texts">
      <table data-testid="texts-table">
        <thead><tr>
          <th scope="col">From</th><th scope="col">To</th><th scope="col">Text</th><th scope="col">Intent</th>
          <th scope="col">Sentiment</th><th scope="col">Priority</th><th scope="col">Auto-reply</th>
          <th scope="col">Status</th><th scope="col">Received</th>
        </tr></thead>
        <tbody>
          ${list.items.map(
            (m) => html`<tr key=${m.id} data-testid="text-row" data-from=${m.from}>
              <td>${m.from}</td>
              <td>${m.to}</td>
              <td class="text">${m.text}</td>
              <td>${m.analysis?.intent ?? "—"}</td>
              <td>${m.analysis?.sentiment ?? "—"}</td>
              <td><${Badge} value=${m.analysis?.priority} kind="priority" /></td>
              <td class="text">${m.auto_reply ?? html`<span class="muted">none</span>`}</td>
              <td><${Badge} value=${m.status} kind="status" />${m.error_code ? html` <code>${m.error_code}</code>` : null}</td>
              <td><${Time} value=${m.received_at} /></td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
    <${More} list=${list} what="texts" />
  </section>`;
}
