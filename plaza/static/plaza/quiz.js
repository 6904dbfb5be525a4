// 答题: the contest countdown, and the live contest on phones and on the host's big screen.
// The live pages talk over a WebSocket (/ws/quiz/live/<pk>/); when it cannot open (a proxy that blocks
// WebSockets) they poll the state endpoint once a second and post answers over HTTP instead.
(function () {
  "use strict";

  function countdown() {
    var el = document.querySelector("[data-countdown]");
    if (!el) return;
    var end = Date.now() + parseFloat(el.getAttribute("data-countdown")) * 1000;
    var timeout = document.querySelector("[data-timeout-form]");
    var sent = false;
    function tick() {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      el.textContent = String(left);
      if (left <= 0 && !sent && timeout) {
        sent = true;
        timeout.submit();
        return;
      }
      setTimeout(tick, 250);
    }
    tick();
  }

  var LETTERS = "ABCDEF";

  function live(root) {
    var role = root.getAttribute("data-role");
    var pk = root.getAttribute("data-live");
    var csrf = root.getAttribute("data-csrf");
    var $ = function (name) { return root.querySelector("[data-live-" + name + "]"); };
    var socket = null;
    var polling = null;
    var state = {};
    var timerEnd = 0;
    var revealAsked = false;
    var shownQuestion = null;

    function text(el, value) { if (el) el.textContent = value == null ? "" : String(value); }

    function renderTop(top) {
      var list = $("top");
      if (!list) return;
      list.textContent = "";
      (top || []).forEach(function (row) {
        var li = document.createElement("li");
        li.textContent = row.rank + ". " + row.name + " — " + row.score;
        list.appendChild(li);
      });
    }

    function renderMe(me) {
      if (!me || role !== "player") return;
      var parts = [];
      if (me.rank) parts.push("第 " + me.rank + " 名");
      parts.push((me.score || 0) + " 分");
      text($("me"), parts.join(" · "));
    }

    function send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(message));
        return;
      }
      if (message.type === "answer") {
        fetch(root.getAttribute("data-answer-url"), {
          method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
          body: JSON.stringify({question: message.question, choice: message.choice}),
        }).then(function (r) { return r.json(); }).then(handle);
      } else if (role === "host") {
        fetch(root.getAttribute("data-" + message.type + "-url"), {
          method: "POST", credentials: "same-origin",
          headers: {"Accept": "application/json", "X-CSRFToken": csrf},
        }).then(function (r) { return r.json(); }).then(handle);
      }
    }

    function answer(question, choice) {
      text($("message"), "已提交，等待公布答案……");
      root.querySelectorAll("[data-live-options] button, [data-live-options] input").forEach(function (b) { b.disabled = true; });
      send({type: "answer", question: question.id, choice: choice});
    }

    function renderOptions(q, answered) {
      var box = $("options");
      box.textContent = "";
      if (role === "host") {
        q.options.forEach(function (option, i) {
          var li = document.createElement("li");
          li.setAttribute("data-option", i);
          li.textContent = LETTERS[i] + "．" + option;
          var count = document.createElement("b");
          count.className = "quiz-count";
          li.appendChild(count);
          box.appendChild(li);
        });
        return;
      }
      if (q.kind === "fill") {
        var label = document.createElement("label");
        label.textContent = "您的答案";
        var input = document.createElement("input");
        input.id = "live-text";
        label.setAttribute("for", "live-text");
        var go = document.createElement("button");
        go.type = "button";
        go.textContent = "提交";
        go.className = "block";
        go.addEventListener("click", function () { answer(q, input.value); });
        box.appendChild(label); box.appendChild(input); box.appendChild(go);
      } else if (q.kind === "multiple") {
        q.options.forEach(function (option, i) {
          var l = document.createElement("label");
          l.className = "quiz-option";
          var c = document.createElement("input");
          c.type = "checkbox"; c.value = i;
          l.appendChild(c);
          l.appendChild(document.createTextNode(" " + LETTERS[i] + "．" + option));
          box.appendChild(l);
        });
        var submit = document.createElement("button");
        submit.type = "button"; submit.className = "block"; submit.textContent = "提交";
        submit.addEventListener("click", function () {
          var picked = [];
          box.querySelectorAll("input:checked").forEach(function (c) { picked.push(parseInt(c.value, 10)); });
          answer(q, picked);
        });
        box.appendChild(submit);
      } else {
        q.options.forEach(function (option, i) {
          var b = document.createElement("button");
          b.type = "button"; b.className = "block quiz-choice";
          b.setAttribute("data-choice", i);
          b.textContent = LETTERS[i] + "．" + option;
          b.addEventListener("click", function () { answer(q, [i]); });
          box.appendChild(b);
        });
      }
      if (answered) box.querySelectorAll("button, input").forEach(function (b) { b.disabled = true; });
    }

    function renderCounts(counts) {
      (counts || []).forEach(function (n, i) {
        var el = root.querySelector("[data-live-options] [data-option='" + i + "'] .quiz-count, [data-live-options] [data-choice='" + i + "']");
        if (el && el.classList.contains("quiz-count")) el.textContent = " " + n + " 人";
        else if (el) el.setAttribute("data-count", n);
      });
    }

    function render(data) {
      state = data;
      text($("players"), data.players);
      var phaseNames = {lobby: "等待主持人开始", question: "答题中", reveal: "公布答案", finished: "竞赛结束，成绩为最终结果"};
      text($("phase"), phaseNames[data.phase] || "");
      text($("position"), data.position ? "第 " + data.position + " / " + data.total + " 题" : "");
      var q = data.question;
      if (q && (data.phase === "question" || data.phase === "reveal")) {
        text($("question"), q.text);
        var answered = data.me && data.me.answer;
        if (shownQuestion !== q.id + data.phase) {
          shownQuestion = q.id + data.phase;
          renderOptions(q, answered || data.phase !== "question");
          if (data.phase === "question") {
            timerEnd = Date.now() + q.remaining * 1000;
            revealAsked = false;
            text($("message"), answered ? "已提交，等待公布答案……" : "");
          }
        }
        if (data.phase === "reveal") {
          var right = (q.answer || []).map(function (i) { return typeof i === "number" ? LETTERS[i] : i; }).join("、");
          var mine = data.me && data.me.answer;
          var verdict = role === "player" ? (mine ? (mine.correct ? "回答正确 +" + (mine.points + mine.bonus) : "回答错误") : "本题未作答") + "。" : "";
          text($("message"), verdict + "正确答案：" + right + (q.voided ? "（本题已作废）" : "") + (q.explanation ? "。" + q.explanation : ""));
          (q.answer || []).forEach(function (i) {
            var el = root.querySelector("[data-live-options] [data-option='" + i + "'], [data-live-options] [data-choice='" + i + "']");
            if (el) el.classList.add("quiz-right");
          });
          renderCounts(data.counts);
        }
      } else {
        text($("question"), data.phase === "finished" ? "感谢参与！" : "");
        var box = $("options"); if (box) box.textContent = "";
        text($("message"), "");
      }
      if (data.counts && data.phase === "question") { text($("answered"), data.answered); renderCounts(data.counts); }
      if (data.top) renderTop(data.top);
      renderMe(data.me);
    }

    function handle(data) {
      if (!data) return;
      if (data.type === "state") render(data);
      else if (data.type === "counts") {
        text($("players"), data.players);
        if (data.answered != null) text($("answered"), data.answered);
        if (role === "host" && data.counts) renderCounts(data.counts);
      }
      else if (data.type === "answered") { text($("message"), data.message); renderMe(data.me); }
      else if (data.type === "error") text($("message"), data.message);
      if (polling && data.type !== "state") poll();
    }

    function poll() {
      fetch(root.getAttribute("data-state-url"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); }).then(render).catch(function () {});
    }

    function startPolling() {
      if (polling) return;
      text($("status"), "实时连接不可用，已改为每秒刷新");
      poll();
      polling = setInterval(poll, 1000);
    }

    function connect() {
      if (!("WebSocket" in window)) { startPolling(); return; }
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var url = scheme + location.host + "/ws/quiz/live/" + pk + "/" + (role === "host" ? "host/" : "");
      var opened = false;
      try { socket = new WebSocket(url); } catch (e) { startPolling(); return; }
      var giveUp = setTimeout(function () { if (!opened) { socket.close(); startPolling(); } }, 4000);
      socket.addEventListener("open", function () {
        opened = true; clearTimeout(giveUp);
        if (polling) { clearInterval(polling); polling = null; }
        text($("status"), "已连接");
      });
      socket.addEventListener("message", function (e) {
        try { handle(JSON.parse(e.data)); } catch (err) { /* ignore a message we cannot read */ }
      });
      socket.addEventListener("close", function () {
        clearTimeout(giveUp);
        socket = null;
        if (!opened) { startPolling(); return; }
        text($("status"), "连接中断，正在重连……");
        setTimeout(connect, 1500);  // a reconnect continues as the same person (the session)
      });
    }

    root.querySelectorAll("[data-host]").forEach(function (button) {
      button.addEventListener("click", function () {
        var confirmText = button.getAttribute("data-confirm");
        if (confirmText && !window.confirm(confirmText)) return;
        send({type: button.getAttribute("data-host")});
      });
    });

    setInterval(function () {
      if (state.phase !== "question") { text($("timer"), ""); return; }
      var left = Math.max(0, Math.ceil((timerEnd - Date.now()) / 1000));
      text($("timer"), "剩余 " + left + " 秒");
      if (left <= 0 && role === "host" && !revealAsked) { revealAsked = true; send({type: "reveal"}); }
    }, 250);

    connect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    countdown();
    document.querySelectorAll("[data-live]").forEach(live);
  });
})();
