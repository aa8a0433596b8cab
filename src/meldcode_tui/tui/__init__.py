"""The Textual app: screens render state from the flow engine and the case store and send intent."""
