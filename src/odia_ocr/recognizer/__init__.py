"""The built-in compact recognizer: preprocessing, network, model files and CTC decoding."""
