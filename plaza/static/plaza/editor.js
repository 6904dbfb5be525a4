// The back office's rich-text editor (Quill, from npm): every textarea marked data-rich becomes an editor; the
// HTML goes back into the textarea on submit and the server cleans it (nh3). Without JavaScript the textarea
// stays and its text is read as Markdown.
//
// A body must survive opening and saving unchanged, any number of times:
// - an HTML body (body_format "html") is loaded into the editor as HTML, never as text;
// - a Markdown body (the demo's, or one written without JavaScript) stays Markdown in the plain textarea, so
//   "## 做法" is edited as the Markdown it is and saved byte for byte as it was;
// - when the editor's content was not changed, the stored HTML is sent back as it came (Quill re-serialises
//   what it loads: spaces become &nbsp;, attributes move), and when it was changed, Quill's &nbsp; become
//   ordinary spaces again so lines still wrap on a phone.
(() => {
  if (typeof Quill === "undefined") return;
  document.querySelectorAll("textarea[data-rich]").forEach((area) => {
    const form = area.form;
    const format = form.querySelector("input[name=body_format]");
    const markdown = area.value.trim() && !(format && format.value === "html");
    if (markdown) {
      area.dataset.format = "markdown";
      const note = document.createElement("span");
      note.className = "muted";
      note.dataset.testid = "markdown-note";
      note.textContent = area.dataset.markdownNote || "";
      area.after(note);
      return;
    }
    const holder = document.createElement("div");
    holder.className = "rich-editor";
    area.after(holder);
    area.hidden = true;
    const editor = new Quill(holder, {
      theme: "snow",
      modules: {toolbar: [[{header: [2, 3, false]}], ["bold", "italic", "underline"], [{list: "ordered"}, {list: "bullet"}],
                          ["blockquote", "link", "image"], ["clean"]]},
    });
    // Quill's drop-down (the heading level) is a span with role=button and no name: a screen reader would hear
    // only "button" (axe: aria-command-name). The page may name it in its language (data-heading-label).
    holder.parentNode.querySelectorAll(".ql-picker-label:not([aria-label])").forEach((label) => {
      label.setAttribute("aria-label", area.dataset.headingLabel || "标题级别");
    });
    const original = area.value;
    if (original.trim()) editor.clipboard.dangerouslyPasteHTML(original, "silent");
    editor.history.clear();
    const loaded = JSON.stringify(editor.getContents());
    form.addEventListener("submit", () => {
      if (format) format.value = "html";
      if (original.trim() && JSON.stringify(editor.getContents()) === loaded) {
        area.value = original;  // not changed: what was stored goes back unchanged
        return;
      }
      area.value = editor.getSemanticHTML().replace(/&nbsp;/g, " ");
    });
  });
})();
