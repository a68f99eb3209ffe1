// Placeholder until the examples land: the demo will start the three emulators and run the
// five integration patterns against them.
console.log('plumbline demo: the examples are not written yet; nothing to run.');
