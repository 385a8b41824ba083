// Parent side of the ConnectWise Hosted API, as the simulator's host pages run
// it (see host-page.ts for the protocol summary and the window.cwSim hook).
// Plain browser JavaScript, inlined into the page.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('cw-sim-config').textContent);
  var frames = []; // {frameId, setup, iframe, hostedAs, ready}
  var nextEventId = 1;
  var frameSeq = 0;
  var pending = {}; // _id -> {frame, resolve}
  var startedResolve;

  var sim = {
    log: [],
    ignored: [],
    dirty: false,
    acks: [],
    opened: [],
    ready: new Promise(function (r) { startedResolve = r; }),
    frames: function () {
      return frames.filter(function (f) { return f.iframe.isConnected; }).map(function (f) { return f.iframe.src; });
    },
    refreshScreen: function (frameIndex) {
      var live = frames.filter(function (f) { return f.iframe.isConnected; });
      var targets = typeof frameIndex === 'number' ? [live[frameIndex]] : live;
      targets.forEach(function (f) { if (f && f.ready) sendEvent(f, 'onLoad', loadData(f)); });
    },
    save: save,
  };
  window.cwSim = sim;

  function post(frame, payload) {
    sim.log.push({ dir: 'out', origin: frame.setup.origin, data: payload });
    // Only ever to the setup's registered origin: another origin gets nothing.
    frame.iframe.contentWindow.postMessage(JSON.stringify(payload), frame.setup.origin);
  }

  function loadData(frame) {
    return { screen: config.screen, id: config.id, hostedAs: frame.hostedAs };
  }

  function sendEvent(frame, name, data) {
    var id = nextEventId++;
    var msg = { event: name, _id: id, data: data };
    return new Promise(function (resolve) {
      pending[id] = { frame: frame, resolve: resolve, event: name };
      post(frame, msg);
    });
  }

  function setDirty(flag) {
    sim.dirty = !!flag;
    document.getElementById('cw-dirty').hidden = !sim.dirty;
  }

  function status(text) {
    document.getElementById('cw-status').textContent = text;
  }

  function showErrors(errors) {
    var box = document.getElementById('cw-errors');
    if (!errors.length) { box.hidden = true; box.textContent = ''; return; }
    box.hidden = false;
    box.textContent = '';
    var title = document.createElement('b');
    title.textContent = 'The save was stopped:';
    box.appendChild(title);
    var ul = document.createElement('ul');
    errors.forEach(function (e) {
      var li = document.createElement('li');
      li.textContent = typeof e === 'string' ? e : (e && e.message) || JSON.stringify(e);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function save() {
    var pods = frames.filter(function (f) { return f.iframe.isConnected && f.ready && f.setup.type === 'Pod'; });
    status('Saving…');
    var waits = pods.map(function (f) {
      return Promise.race([
        sendEvent(f, 'beforeSave', { screen: config.screen, id: config.id }),
        new Promise(function (r) { setTimeout(function () { r({ result: 'failure', errors: [f.setup.description + ' did not answer'] }); }, 10000); }),
      ]);
    });
    return Promise.all(waits).then(function (acks) {
      var errors = [];
      acks.forEach(function (a) {
        if (a.result !== 'success') errors = errors.concat(a.errors && a.errors.length ? a.errors : ['a pod refused the save']);
      });
      showErrors(errors);
      if (errors.length) { status(''); return { ok: false, errors: errors }; }
      setDirty(false);
      status('Saved');
      return { ok: true, errors: [] };
    });
  }

  function handleRequest(frame, msg) {
    var name = String(msg.hosted_request);
    var args = msg.args || {};
    var respond = function (data) { post(frame, { response: name.toLowerCase(), data: data || {} }); };
    switch (name.toLowerCase()) {
      case 'getmemberauthentication':
        // The first answer is the hash the page took for this frame when it created it; later ones are issued afresh.
        var issued = frame.memberAuth || issueMemberAuth();
        frame.memberAuth = null;
        issued.then(respond);
        return;
      case 'setdirty':
        setDirty(args.dirty);
        respond({});
        return;
      case 'openscreen':
        sim.opened.push({ screen: args.screen, id: args.id, newTab: !!args.newTab });
        respond({});
        var url = '/' + encodeURIComponent(String(args.screen || '').toLowerCase()) + '/' + encodeURIComponent(String(args.id)) + '?member=' + encodeURIComponent(config.member);
        if (args.newTab) window.open(url, '_blank', 'noopener');
        else setTimeout(function () { window.location.assign(url); }, 50);
        return;
      case 'refreshscreen':
        respond({});
        sendEvent(frame, 'onLoad', loadData(frame));
        return;
      default:
        respond({ error: 'unknown request ' + name });
    }
  }

  window.addEventListener('message', function (ev) {
    var frame = null;
    for (var i = 0; i < frames.length; i++) if (frames[i].iframe.contentWindow === ev.source) frame = frames[i];
    var ignore = function (reason) { sim.ignored.push({ origin: ev.origin, data: ev.data, reason: reason }); };
    if (!frame) return ignore('not from one of this screen\'s frames');
    if (ev.origin !== frame.setup.origin) return ignore('origin ' + ev.origin + ' is not the setup origin ' + frame.setup.origin);
    if (typeof ev.data !== 'string') return ignore('not a JSON string');
    var msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return ignore('not JSON'); }
    if (!msg || typeof msg !== 'object') return ignore('not a JSON object');
    if (msg.frameID !== undefined && frame.ready && msg.frameID !== frame.frameId) return ignore('frameID ' + msg.frameID + ' is not this frame\'s');
    sim.log.push({ dir: 'in', origin: ev.origin, data: msg });

    if (msg.message === 'ready') {
      frame.ready = true;
      post(frame, { MessageFrameID: frame.frameId });
      sendEvent(frame, 'onLoad', loadData(frame));
      return;
    }
    if (msg.hosted_request !== undefined) return handleRequest(frame, msg);
    if (msg.event !== undefined && msg._id !== undefined && msg.result !== undefined) {
      var ack = { event: msg.event, _id: msg._id, result: msg.result };
      if (msg.errors) ack.errors = msg.errors;
      sim.acks.push(ack);
      var p = pending[msg._id];
      if (p && p.frame === frame) { delete pending[msg._id]; p.resolve(ack); }
      return;
    }
    ignore('unknown message');
  });

  // What getMemberAuthentication answers: a memberHash issued for the signed-in member.
  function issueMemberAuth() {
    return fetch('/__sim/member-hash', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ member: config.member }) })
      .then(function (r) { return r.json(); });
  }

  function makeFrame(setup, hostedAs, height) {
    // ConnectWise's page holds the signed-in member's hash before a hosted page asks for it: taken here, with the
    // frame, so the frame's first getMemberAuthentication is answered without a round trip of its own.
    var memberAuth = issueMemberAuth();
    memberAuth.catch(function () {}); // a frame that never asks leaves no unhandled failure
    var iframe = document.createElement('iframe');
    iframe.src = setup.src;
    iframe.title = setup.description;
    if (height) iframe.style.height = height + 'px';
    var frame = { frameId: 'cwsim-' + setup.setupId + '-' + (++frameSeq), setup: setup, iframe: iframe, hostedAs: hostedAs, ready: false, memberAuth: memberAuth };
    iframe.setAttribute('data-frame-id', frame.frameId);
    frames.push(frame);
    return frame;
  }

  // Pods: created with the page.
  var podArea = document.getElementById('cw-pods');
  config.frames.filter(function (s) { return s.type === 'Pod'; }).forEach(function (s) {
    var box = document.createElement('section');
    box.className = 'pod';
    var h = document.createElement('h3');
    h.textContent = s.description;
    box.appendChild(h);
    box.appendChild(makeFrame(s, 'pod', s.podHeight).iframe);
    podArea.appendChild(box);
  });

  // Tabs: an iframe the first time the tab is opened.
  var tabFrames = {};
  document.querySelectorAll('.tab').forEach(function (btn) {
    btn.addEventListener('click', function () {
      document.querySelectorAll('.tab').forEach(function (b) { b.classList.toggle('on', b === btn); });
      var key = btn.getAttribute('data-tab');
      var panels = document.getElementById('cw-tab-panels');
      document.getElementById('cw-main-body').hidden = key !== 'main';
      Object.keys(tabFrames).forEach(function (k) { tabFrames[k].hidden = k !== key; });
      if (key === 'main' || tabFrames[key]) return;
      var setup = config.frames.filter(function (s) { return String(s.setupId) === key; })[0];
      var panel = document.createElement('div');
      panel.className = 'tabpanel';
      panel.appendChild(makeFrame(setup, 'tab').iframe);
      panels.appendChild(panel);
      tabFrames[key] = panel;
    });
  });

  // Toolbar buttons: a modal dialog holding the iframe; closing it ends the frame.
  document.querySelectorAll('.tb.hosted').forEach(function (btn) {
    btn.addEventListener('click', function () {
      var setup = config.frames.filter(function (s) { return String(s.setupId) === btn.getAttribute('data-setup'); })[0];
      var back = document.createElement('div');
      back.className = 'modal-back';
      var modal = document.createElement('div');
      modal.className = 'modal';
      modal.setAttribute('role', 'dialog');
      modal.setAttribute('aria-label', setup.buttonText);
      modal.style.width = setup.dialogWidth + 'px';
      modal.style.height = setup.dialogHeight + 'px';
      var head = document.createElement('header');
      var title = document.createElement('b');
      title.textContent = setup.buttonText;
      var close = document.createElement('button');
      close.textContent = '×';
      close.setAttribute('aria-label', 'Close');
      close.addEventListener('click', function () { back.remove(); });
      head.appendChild(title);
      head.appendChild(close);
      modal.appendChild(head);
      modal.appendChild(makeFrame(setup, 'tab').iframe);
      back.appendChild(modal);
      document.body.appendChild(back);
    });
  });

  document.getElementById('cw-save').addEventListener('click', function () { save(); });
  window.addEventListener('beforeunload', function (e) { if (sim.dirty) { e.preventDefault(); e.returnValue = ''; } });
  startedResolve();
})();
