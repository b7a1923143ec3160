s/^Time: [0-9]*$/Time: N/
