/* Progressive enhancement only: every form works without this file. */
(function () {
  'use strict';

  // Double clicks: a submit button marked data-once is disabled after the first click (the form still submits).
  document.addEventListener('submit', function (event) {
    var button = event.submitter;
    if (button && button.hasAttribute('data-once')) {
      if (button.dataset.sent) {
        event.preventDefault();
        return;
      }
      button.dataset.sent = '1';
      setTimeout(function () {
        button.setAttribute('disabled', '');
      }, 0);
    }
  });

  // Quiz: save each answer the moment it is given, stamped with when it was given.
  var form = document.querySelector('form[data-autosave]');
  if (form && window.fetch) {
    var status = form.querySelector('[data-save-status]');
    var stamp = form.querySelector('input[name="answeredAt"]');
    var token = form.querySelector('input[name="_csrf"]').value;
    form.addEventListener('change', function () {
      stamp.value = String(Date.now());
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        body.append(key, value);
      });
      status.textContent = status.dataset.saving;
      fetch(form.action, {
        method: 'POST',
        body: body,
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'x-csrf-token': token },
      })
        .then(function (res) {
          if (res.status === 409) return res.json().then(showRefused);
          status.textContent = res.ok ? status.dataset.saved : status.dataset.failed;
        })
        .catch(function () {
          status.textContent = status.dataset.failed;
        });
    });
    // The test was handed in (another tab, or a save that arrived after the submit): the answer did not
    // count. Say so with the server's message and lead to the result.
    var showRefused = function (body) {
      status.textContent = (body && body.error) || status.dataset.failed;
      var link = document.createElement('a');
      link.href = status.dataset.resultHref;
      link.textContent = status.dataset.resultLabel;
      status.appendChild(document.createTextNode(' '));
      status.appendChild(link);
      form.querySelectorAll('input[name="selected"]').forEach(function (input) {
        input.disabled = true;
      });
    };
  }

  // Lyssna: read the lesson aloud with the browser's Swedish voice, shown only where one exists.
  var listen = document.querySelector('[data-listen]');
  if (listen && 'speechSynthesis' in window) {
    var synth = window.speechSynthesis;
    var voice = null;
    var pickVoice = function () {
      voice =
        synth.getVoices().filter(function (v) {
          return /^sv/i.test(v.lang);
        })[0] || null;
      listen.hidden = !voice;
    };
    pickVoice();
    if (typeof synth.addEventListener === 'function') synth.addEventListener('voiceschanged', pickVoice);
    listen.addEventListener('click', function () {
      if (synth.speaking) {
        synth.cancel();
        listen.textContent = listen.dataset.labelStart;
        return;
      }
      var text = document.getElementById(listen.dataset.listen).innerText;
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = 0.9;
      utterance.onend = function () {
        listen.textContent = listen.dataset.labelStart;
      };
      listen.textContent = listen.dataset.labelStop;
      synth.speak(utterance);
    });
  }

  // Move focus to an error summary so screen readers announce it.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
})();
