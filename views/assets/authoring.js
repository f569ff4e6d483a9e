/* Lesson editor: live preview and readability while writing. The form works without this file. */
(function () {
  'use strict';
  var form = document.querySelector('form[data-lesson-editor]');
  if (!form || !window.fetch) return;
  var token = form.querySelector('input[name="_csrf"]').value;
  var timer = null;

  function text(name) {
    return form.querySelector('[name="' + name + '"]').value;
  }

  function setReadability(variant, r) {
    var box = document.querySelector('[data-readability="' + variant + '"]');
    if (!box) return;
    ['lix', 'sentences', 'longWords', 'words'].forEach(function (key) {
      box.querySelector('[data-field="' + key + '"]').textContent = String(r[key]);
    });
    var longest = box.querySelector('[data-field="longest"]');
    longest.textContent = '';
    if (r.longest.length) {
      var list = document.createElement('ul');
      list.className = 'longest';
      r.longest.forEach(function (s) {
        var li = document.createElement('li');
        var mark = document.createElement('mark');
        mark.textContent = s.text;
        li.appendChild(mark);
        li.appendChild(document.createTextNode(' (' + s.words + ')'));
        list.appendChild(li);
      });
      longest.appendChild(list);
    }
  }

  function refresh() {
    var body = new URLSearchParams({
      slug: form.dataset.slug,
      standard: text('bodyStandard'),
      easy: text('bodyEasy'),
    });
    fetch(form.dataset.previewUrl, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'x-csrf-token': token },
    })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        // The server renders the Markdown exactly as learners see it (raw HTML escaped), so it is safe to insert.
        document.querySelector('[data-preview="standard"]').innerHTML = data.standard;
        document.querySelector('[data-preview="easy"]').innerHTML = data.easy;
        setReadability('standard', data.readability.standard);
        setReadability('easy', data.readability.easy);
        var warnings = document.querySelector('[data-warnings]');
        warnings.textContent = '';
        data.readability.warnings.forEach(function (w) {
          var p = document.createElement('p');
          p.textContent = /notEasier/.test(w) ? form.dataset.warningGap : form.dataset.warningEasy;
          warnings.appendChild(p);
        });
        warnings.hidden = data.readability.warnings.length === 0;
      })
      .catch(function () {
        /* the preview button still works */
      });
  }

  form.addEventListener('input', function (event) {
    var name = event.target.name;
    if (name === 'titleStandard' || name === 'titleEasy') {
      var v = name === 'titleStandard' ? 'standard' : 'easy';
      document.querySelector('[data-preview-title="' + v + '"]').textContent = event.target.value;
    }
    if (name !== 'bodyStandard' && name !== 'bodyEasy') return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  });
})();

/* Lesson editor: asks before leaving with text that is not saved (changed since load, or shown again unsaved). */
(function () {
  'use strict';
  var form = document.querySelector('form[data-lesson-editor]');
  if (!form) return;
  var fields = Array.prototype.slice.call(form.querySelectorAll('textarea, input[type="text"]'));
  var loaded = fields.map(function (f) {
    return f.value;
  });
  var submitted = false;

  function unsaved() {
    return (
      form.hasAttribute('data-unsaved') ||
      fields.some(function (f, i) {
        return f.value !== loaded[i];
      })
    );
  }

  form.addEventListener('submit', function () {
    submitted = true;
  });
  // Back to a page kept in the browser's cache: the earlier submit did not leave it.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) submitted = false;
  });
  window.addEventListener('beforeunload', function (event) {
    if (submitted || !unsaved()) return;
    event.preventDefault();
    event.returnValue = '';
  });
})();
