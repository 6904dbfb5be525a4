// The back office's rich-text editor (Quill, from npm): every textarea marked data-rich becomes an editor; the
// HTML goes back into the textarea on submit and the server cleans it (nh3). Without JavaScript the textarea
// stays and its text is read as Markdown.
(() => {
  if (typeof Quill === "undefined") return;
  document.querySelectorAll("textarea[data-rich]").forEach((area) => {
    const form = area.form;
    const format = form.querySelector("input[name=body_format]");
    const holder = document.createElement("div");
    holder.className = "rich-editor";
    area.after(holder);
    area.hidden = true;
    const editor = new Quill(holder, {
      theme: "snow",
      modules: {toolbar: [[{header: [2, 3, false]}], ["bold", "italic", "underline"], [{list: "ordered"}, {list: "bullet"}],
                          ["blockquote", "link", "image"], ["clean"]]},
    });
    if (area.value.trim()) {
      if (format && format.value === "html") editor.clipboard.dangerouslyPasteHTML(area.value);
      else editor.setText(area.value);
    }
    form.addEventListener("submit", () => {
      area.value = editor.getSemanticHTML();
      if (format) format.value = "html";
    });
  });
})();
